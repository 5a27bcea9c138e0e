'use client'
import { useConfig, useDocumentInfo } from '@payloadcms/ui'
import { useMemo, useState } from 'react'

import { labelFor } from '../../model/options'
import { relationId } from '../../model/references'
import type { Media, Scene } from '../../payload-types'
import { errorText, mediaUrl, readApi, usePostV1, useProjectEvents, useReload } from './productionApi'

type Slot = 'storyboard' | 'video' | 'audio'
type Takes = { scene: string; slots: { slot: string; current: string | null; takes: Media[] }[] }

/** The produce steps that (re)make a slot when the scene is not in review (docs/QUEUE.md, "Production"). */
const produceSteps: Record<Slot, string[]> = { storyboard: ['storyboard', 'images', 'video', 'assembly'], video: ['video', 'assembly'], audio: ['audio', 'assembly'] }
const slotLabels: Record<Slot, string> = { storyboard: 'storyboard', video: 'video', audio: 'audio' }

/**
 * The scene view's production block (issue 22): the scene's takes — panel images, the video segment and scene cut in
 * a video player, the audio track in an audio player, previous takes listed — with "Generate" per slot, "Approve"
 * and "Reject and regenerate". A scene in review regenerates through POST /api/v1/scenes/{id}/review (reject with
 * `regenerate`); otherwise "Generate" is POST /api/v1/episodes/{id}/produce for this scene and the slot's steps.
 * Takes come from GET /api/v1/scenes/{id}/takes, re-read when the project's events stream reports a change.
 */
export function SceneProduction() {
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const sceneId = id === undefined ? undefined : String(id)
  const post = usePostV1()
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string }>()
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState('')
  const [regenerate, setRegenerate] = useState<Slot[]>(['video'])
  const api = `${config.serverURL}${config.routes.api}`
  const read = useMemo(
    () =>
      sceneId
        ? async () => {
            const [scene, takes] = await Promise.all([
              readApi<Scene>(api, `/scenes/${sceneId}?depth=0`, 'The scene'),
              readApi<Takes>(api, `/v1/scenes/${sceneId}/takes`, "The scene's takes"),
            ])
            return { scene, takes }
          }
        : undefined,
    [api, sceneId],
  )
  const { data, error: loadError, reload: load } = useReload(read)
  const scene = data?.scene
  const takes = data?.takes
  useProjectEvents(relationId(scene?.project), load)
  if (!sceneId) return null

  const status = scene?.production?.status ?? 'pending'
  const episodeId = relationId(scene?.episode)
  const run = async (what: () => Promise<{ ok: boolean; text: string }>) => {
    setBusy(true)
    setNotice(undefined)
    try {
      const result = await what()
      setNotice({ kind: result.ok ? 'done' : 'error', text: result.text })
    } finally {
      setBusy(false)
      load()
    }
  }
  const generate = (slot: Slot) =>
    run(async () => {
      if (status === 'reviewing') {
        const result = await post<Scene>(`/scenes/${sceneId}/review`, { decision: 'reject', note: `Regenerate the ${slotLabels[slot]}`, regenerate: [slot] })
        return result.ok ? { ok: true, text: `Generating the ${slotLabels[slot]} again (attempt ${result.body.production?.attempts ?? '?'}).` } : { ok: false, text: errorText(result.error) }
      }
      if (!episodeId) return { ok: false, text: 'The scene has no episode to produce it in.' }
      const result = await post<{ tasks: { id: string }[] }>(`/episodes/${episodeId}/produce`, { scenes: [sceneId], steps: produceSteps[slot], force: true })
      return result.ok ? { ok: true, text: `Generating the ${slotLabels[slot]}: ${result.body.tasks.length} task(s) queued.` } : { ok: false, text: errorText(result.error) }
    })
  const review = (decision: 'approve' | 'reject') =>
    run(async () => {
      const body = decision === 'approve' ? { decision, ...(note ? { note } : {}) } : { decision, ...(note ? { note } : {}), regenerate }
      const result = await post<Scene>(`/scenes/${sceneId}/review`, body)
      if (!result.ok) return { ok: false, text: errorText(result.error) }
      return { ok: true, text: decision === 'approve' ? 'Approved.' : `Rejected; regenerating ${regenerate.join(', ') || 'nothing'}.` }
    })

  const slot = (name: string) => takes?.slots.find((entry) => entry.slot === name)
  const panelSlots = (takes?.slots ?? []).filter((entry) => /^storyboard\.panels\.\d+\.image$/.test(entry.slot))
  const currentOf = (name: string) => {
    const entry = slot(name)
    return entry?.takes.find((media) => media.id === entry.current)
  }
  const previousOf = (names: string[]) =>
    (takes?.slots ?? []).filter((entry) => names.some((name) => entry.slot === name || entry.slot.startsWith(name))).flatMap((entry) => entry.takes.filter((media) => media.id !== entry.current).map((media) => ({ slot: entry.slot, media })))
  const sceneCut = currentOf('production.sceneCut')
  const videoSegment = currentOf('production.videoSegment')
  const audioTrack = currentOf('production.audioTrack')
  const previous = previousOf(['storyboard.panels', 'production.'])

  return (
    <div className="hub" data-hub="scene-production" data-status={status}>
      <section className="hub__section">
        <header className="hub__header">
          <h3>Takes and review</h3>
          <span data-scene-status={status}>
            {labelFor(status)} · attempt {scene?.production?.attempts ?? 0}
          </span>
        </header>
        {loadError && <p className="hub__error">{loadError}</p>}
        {scene?.production?.reviewNote && <p className="hub__hint">Last review note: {scene.production.reviewNote}</p>}
        <div className="hub__actions-row">
          {(['storyboard', 'video', 'audio'] as Slot[]).map((name) => (
            <button key={name} type="button" className="btn btn--style-secondary btn--size-small" disabled={busy || status === 'generating' || status === 'approved'} onClick={() => void generate(name)} data-generate={name}>
              Generate {slotLabels[name]}
            </button>
          ))}
        </div>

        <h4>Storyboard</h4>
        <ul className="hub__thumbnails" data-takes="panels">
          {panelSlots.map((entry) => {
            const media = entry.takes.find((item) => item.id === entry.current)
            const src = mediaUrl(config.serverURL, media?.thumbnailURL ?? media?.url)
            return (
              <li key={entry.slot}>
                {/* eslint-disable-next-line @next/next/no-img-element -- generated panels from the media API, sized by sharp */}
                {src ? <img className="hub__thumbnail" src={src} alt={media?.alt || entry.slot} /> : <span className="hub__hint">no image</span>}
                <span className="hub__hint">Panel {Number(entry.slot.split('.')[2]) + 1}</span>
              </li>
            )
          })}
        </ul>
        {panelSlots.length === 0 && <p className="hub__hint">No panel images yet.</p>}

        <h4>Video</h4>
        {sceneCut || videoSegment ? (
          <video className="hub__player" data-take="video" controls preload="metadata" src={mediaUrl(config.serverURL, (sceneCut ?? videoSegment)?.url)} />
        ) : (
          <p className="hub__hint">No video yet.</p>
        )}
        {sceneCut && videoSegment && <p className="hub__hint">The scene cut (video and audio); the video segment alone is listed with the takes.</p>}

        <h4>Audio</h4>
        {audioTrack ? <audio data-take="audio" controls preload="metadata" src={mediaUrl(config.serverURL, audioTrack.url)} /> : <p className="hub__hint">No audio track yet.</p>}

        {previous.length > 0 && (
          <>
            <h4>Previous takes</h4>
            <ul data-takes="previous">
              {previous.map(({ slot: name, media }) => (
                <li key={media.id} data-media={media.id}>
                  {name}: <a href={mediaUrl(config.serverURL, media.url)}>{media.filename ?? media.id}</a> ({new Date(media.createdAt).toLocaleString()})
                </li>
              ))}
            </ul>
          </>
        )}

        <h4>Review</h4>
        {status !== 'reviewing' && <p className="hub__hint">Review opens when every planned part of the scene has landed.</p>}
        <label className="hub__hint">
          Note <input type="text" value={note} onChange={(event) => setNote(event.target.value)} data-review-note />
        </label>
        <div className="hub__actions-row">
          {(['storyboard', 'video', 'audio'] as Slot[]).map((name) => (
            <label key={name}>
              <input type="checkbox" checked={regenerate.includes(name)} onChange={(event) => setRegenerate((list) => (event.target.checked ? [...list, name] : list.filter((item) => item !== name)))} /> {slotLabels[name]}
            </label>
          ))}
        </div>
        <div className="hub__actions-row">
          <button type="button" className="btn btn--style-primary btn--size-small" disabled={busy || status !== 'reviewing'} onClick={() => void review('approve')} data-review="approve">
            Approve
          </button>
          <button type="button" className="btn btn--style-secondary btn--size-small" disabled={busy || status !== 'reviewing'} onClick={() => void review('reject')} data-review="reject">
            Reject and regenerate
          </button>
        </div>
        {notice && (
          <p className={notice.kind === 'error' ? 'hub__error' : 'hub__hint'} data-notice={notice.kind}>
            {notice.text}
          </p>
        )}
      </section>
    </div>
  )
}
