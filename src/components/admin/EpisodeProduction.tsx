'use client'
import { useConfig, useDocumentInfo, useFormFields } from '@payloadcms/ui'
import { useMemo, useState } from 'react'

import { labelFor } from '../../model/options'
import { relationId } from '../../model/references'
import type { Episode, Media, Scene, Task } from '../../payload-types'
import { errorText, mediaUrl, readApi, usePostV1, useProjectEvents, useReload, type V1Error } from './productionApi'

/** A scene's progress: its current round's tasks (created since its last attempt), each completed one counting 100 %. */
function progressOf(scene: Scene, tasks: Task[]): { percentage: number; done: number; total: number } | undefined {
  const since = scene.production?.lastAttempt ? Date.parse(scene.production.lastAttempt) : 0
  const round = tasks.filter((task) => relationId(task.scene) === scene.id && Date.parse(task.createdAt) >= since - 1000)
  if (round.length === 0) return undefined
  const percent = (task: Task) => (task.status === 'completed' ? 100 : Math.min(99, task.progress?.percentage ?? 0))
  return {
    percentage: Math.round(round.reduce((sum, task) => sum + percent(task), 0) / round.length),
    done: round.filter((task) => task.status === 'completed').length,
    total: round.length,
  }
}

/**
 * The episode view's production block (issue 22): "Produce episode" (POST /api/v1/episodes/{id}/produce), each
 * scene's production status and progress live from the project's events stream (no reload), "Assemble"
 * (POST /api/v1/episodes/{id}/assemble; a 409 lists the scenes not approved, "Allow unapproved scenes" sends
 * `allowUnapproved`), and the final video playing in the page once the cut has landed.
 */
export function EpisodeProduction() {
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const projectValue = useFormFields(([fields]) => fields.project?.value)
  const episodeId = id === undefined ? undefined : String(id)
  const projectId = relationId(projectValue)
  const post = usePostV1()
  const api = `${config.serverURL}${config.routes.api}`
  const [notice, setNotice] = useState<{ kind: 'error' | 'done'; text: string; scenes?: V1Error['scenes'] }>()
  const [busy, setBusy] = useState(false)
  const [allowUnapproved, setAllowUnapproved] = useState(false)
  const read = useMemo(
    () =>
      episodeId
        ? async () => {
            const [episode, scenes, tasks] = await Promise.all([
              readApi<Episode>(api, `/episodes/${episodeId}?depth=0`, 'The episode'),
              readApi<{ docs: Scene[] }>(api, `/scenes?where[episode][equals]=${episodeId}&sort=sceneNumber&limit=200&depth=0`, "The episode's scenes"),
              readApi<{ docs: Task[] }>(api, `/tasks?where[episode][equals]=${episodeId}&sort=-createdAt&limit=500&depth=0`, "The episode's tasks"),
            ])
            const videoId = relationId(episode.metadata?.finalVideo)
            const finalVideo = videoId ? await readApi<Media>(api, `/media/${videoId}?depth=0`, 'The final video') : undefined
            return { episode, scenes: scenes.docs, tasks: tasks.docs, finalVideo }
          }
        : undefined,
    [api, episodeId],
  )
  const { data, error: loadError, reload: load } = useReload(read)
  const episode = data?.episode
  const scenes = data?.scenes ?? []
  const tasks = data?.tasks ?? []
  const finalVideo = data?.finalVideo
  useProjectEvents(projectId, load)
  if (!episodeId) return <p className="hub__hint">Production starts once the episode is saved.</p>

  const run = async (what: () => Promise<{ kind: 'error' | 'done'; text: string; scenes?: V1Error['scenes'] }>) => {
    setBusy(true)
    setNotice(undefined)
    try {
      setNotice(await what())
    } finally {
      setBusy(false)
      load()
    }
  }
  const produce = () =>
    run(async () => {
      const result = await post<{ tasks: Task[] }>(`/episodes/${episodeId}/produce`, {})
      return result.ok ? { kind: 'done', text: `Production started: ${result.body.tasks.length} task(s) open.` } : { kind: 'error', text: errorText(result.error) }
    })
  const assemble = () =>
    run(async () => {
      const result = await post<Task>(`/episodes/${episodeId}/assemble`, allowUnapproved ? { allowUnapproved: true } : {})
      return result.ok ? { kind: 'done', text: 'Assembly queued: the final video appears here when the cut is done.' } : { kind: 'error', text: errorText(result.error), scenes: result.error.scenes }
    })
  const cut = tasks.find((task) => task.taskType === 'scene_assembly' && !relationId(task.scene))
  const videoSrc = mediaUrl(config.serverURL, finalVideo?.url)

  return (
    <div className="hub" data-hub="episode-production" data-episode-status={episode?.status ?? ''}>
      <section className="hub__section">
        <header className="hub__header">
          <h3>Produce and assemble</h3>
          <div className="hub__actions-row">
            <button type="button" className="btn btn--style-primary btn--size-small" disabled={busy} onClick={() => void produce()} data-action="produce">
              Produce episode
            </button>
          </div>
        </header>
        {loadError && <p className="hub__error">{loadError}</p>}
        <table className="hub__table">
          <tbody>
            {scenes.map((scene) => {
              const status = scene.production?.status ?? 'pending'
              const progress = progressOf(scene, tasks)
              return (
                <tr key={scene.id} data-production-scene={scene.sceneNumber} data-status={status}>
                  <td className="hub__number">{scene.sceneNumber}</td>
                  <td>
                    <a href={`${config.routes.admin}/collections/scenes/${scene.id}`}>{scene.title || `Scene ${scene.sceneNumber}`}</a>
                  </td>
                  <td data-scene-status>{labelFor(status)}</td>
                  <td>
                    {progress ? (
                      <>
                        <progress max={100} value={progress.percentage} /> <span data-progress={progress.percentage}>{progress.percentage} %</span>{' '}
                        <span className="hub__hint">
                          ({progress.done}/{progress.total} tasks)
                        </span>
                      </>
                    ) : (
                      <span className="hub__hint">not started</span>
                    )}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
        {scenes.length === 0 && <p className="hub__hint">No scenes to produce yet.</p>}

        <header className="hub__header">
          <h4>Final video</h4>
          <div className="hub__actions-row">
            <label className="hub__hint">
              <input type="checkbox" checked={allowUnapproved} onChange={(event) => setAllowUnapproved(event.target.checked)} data-allow-unapproved /> Allow unapproved scenes
            </label>
            <button type="button" className="btn btn--style-secondary btn--size-small" disabled={busy} onClick={() => void assemble()} data-action="assemble">
              Assemble
            </button>
          </div>
        </header>
        {cut && !finalVideo && (
          <p className="hub__hint" data-cut-status={cut.status ?? ''}>
            Episode cut: {labelFor(cut.status ?? 'queued')}
            {cut.progress?.percentage ? ` (${Math.round(cut.progress.percentage)} %)` : ''}
            {cut.status === 'failed' && cut.error?.message ? ` — ${cut.error.message}` : ''}
          </p>
        )}
        {videoSrc ? (
          <video className="hub__player" data-final-video controls preload="metadata" src={videoSrc} />
        ) : (
          <p className="hub__hint">No final video yet.</p>
        )}
        {notice && (
          <div className={notice.kind === 'error' ? 'hub__error' : 'hub__hint'} data-notice={notice.kind}>
            <p>{notice.text}</p>
            {notice.scenes && notice.scenes.length > 0 && (
              <ul data-unapproved-scenes>
                {notice.scenes.map((scene) => (
                  <li key={scene.id}>
                    <a href={`${config.routes.admin}/collections/scenes/${scene.id}`}>Scene {scene.sceneNumber ?? scene.id}</a>
                    {scene.status ? ` (${labelFor(scene.status)})` : ''}
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </section>
    </div>
  )
}
