'use client'
import { useConfig, useDocumentInfo } from '@payloadcms/ui'
import { useState } from 'react'

import { errorText, usePostV1 } from './productionApi'

type ImportReport = {
  dryRun: boolean
  mode: 'append' | 'replace'
  scenes: { id: string | null; sceneNumber: number | null; line: number; title: string; location: string; timeOfDay: string | null; dialogueLines: number; characters: string[] }[]
  newCharacters: string[]
  existingCharacters: string[]
  removedScenes: string[]
}
type ShotListReport = {
  rows: { row: number; id: string | null; action: string; changed: string[]; error?: { field: string; message: string } }[]
  notices: string[]
  updated: number
  created: number
  unchanged: number
  failed: number
}
type Notice = { kind: 'error' | 'done'; text: string; conflict?: boolean }

/**
 * The episode view's screenplay block (issue 24): "Import screenplay" (pick a Fountain or Final Draft file, see the
 * dry run of what it creates, then Import; append or replace, and "force" after a 409), "Export script" (Fountain or
 * Final Draft), "Download shot list" (CSV, with a byte-order mark for spreadsheets) and "Upload shot list" with the
 * per-row report. All through /api/v1 as the signed-in user (docs/ADMIN.md).
 */
export function EpisodeScreenplay() {
  const { config } = useConfig()
  const { id } = useDocumentInfo()
  const post = usePostV1()
  const [file, setFile] = useState<File>()
  const [mode, setMode] = useState<'append' | 'replace'>('append')
  const [force, setForce] = useState(false)
  const [preview, setPreview] = useState<ImportReport>()
  const [imported, setImported] = useState<ImportReport>()
  const [shotList, setShotList] = useState<ShotListReport>()
  const [notice, setNotice] = useState<Notice>()
  const [busy, setBusy] = useState(false)
  if (id === undefined) return <p className="hub__hint">Screenplays can be imported once the episode is saved.</p>
  const episodeId = String(id)
  const v1 = `${config.serverURL}${config.routes.api}/v1/episodes/${episodeId}`

  const sendImport = async (dryRun: boolean, chosen = file, options = { mode, force }) => {
    if (!chosen) return
    setBusy(true)
    setNotice(undefined)
    const form = new FormData()
    form.set('file', chosen)
    form.set('mode', options.mode)
    form.set('dryRun', String(dryRun))
    form.set('force', String(options.force))
    const result = await post<ImportReport>(`/episodes/${episodeId}/import`, form)
    setBusy(false)
    if (!result.ok) {
      setNotice({ kind: 'error', text: errorText(result.error), conflict: result.status === 409 })
      return
    }
    if (dryRun) setPreview(result.body)
    else {
      setPreview(undefined)
      setImported(result.body)
      setNotice({ kind: 'done', text: `Imported ${result.body.scenes.length} scene(s) and ${result.body.newCharacters.length} new character(s).` })
      // The form still holds the episode as it was before the import (an empty script, title, logline): a Save now
      // would write those back over what the import stored, so the view is loaded again.
      window.location.reload()
    }
  }

  const uploadShotList = async (chosen: File | undefined) => {
    if (!chosen) return
    setBusy(true)
    setNotice(undefined)
    const form = new FormData()
    form.set('file', chosen)
    const result = await post<ShotListReport>(`/episodes/${episodeId}/scenes.csv`, form)
    setBusy(false)
    if (!result.ok) setNotice({ kind: 'error', text: errorText(result.error) })
    else setShotList(result.body)
  }

  return (
    <div className="hub" data-hub="episode-screenplay">
      <section className="hub__section">
        <header className="hub__header">
          <h3>Screenplay and shot list</h3>
          <div className="hub__actions-row">
            <a className="btn btn--style-secondary btn--size-small" href={`${v1}/script?format=fountain`} download data-action="export-fountain">
              Export script (Fountain)
            </a>
            <a className="btn btn--style-secondary btn--size-small" href={`${v1}/script?format=fdx`} download data-action="export-fdx">
              Export script (Final Draft)
            </a>
            <a className="btn btn--style-secondary btn--size-small" href={`${v1}/scenes.csv?bom=1`} download data-action="download-shot-list">
              Download shot list
            </a>
          </div>
        </header>

        <div className="hub__actions-row">
          <label>
            Import screenplay (.fountain, .fdx){' '}
            <input
              type="file"
              accept=".fountain,.spmd,.txt,.fdx"
              data-input="screenplay-file"
              disabled={busy}
              onChange={(event) => {
                const chosen = event.target.files?.[0]
                setFile(chosen)
                setPreview(undefined)
                setImported(undefined)
                void sendImport(true, chosen)
              }}
            />
          </label>
          <select value={mode} data-input="import-mode" onChange={(event) => setMode(event.target.value as 'append' | 'replace')}>
            <option value="append">append after the episode&apos;s scenes</option>
            <option value="replace">replace the episode&apos;s scenes</option>
          </select>
        </div>

        {preview && (
          <div data-import-preview>
            <p>
              Preview: {preview.scenes.length} scene(s), {preview.scenes.reduce((sum, scene) => sum + scene.dialogueLines, 0)} dialogue line(s)
              {preview.newCharacters.length > 0 ? `; new characters: ${preview.newCharacters.join(', ')}` : '; no new characters'}
              {preview.mode === 'replace' ? `; ${preview.removedScenes.length} scene(s) removed` : ''}.
            </p>
            <table className="hub__table">
              <tbody>
                {preview.scenes.map((scene) => (
                  <tr key={scene.line} data-preview-scene={scene.line}>
                    <td>{scene.title}</td>
                    <td>{scene.timeOfDay ?? '—'}</td>
                    <td>{scene.dialogueLines} line(s)</td>
                    <td>{scene.characters.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <button type="button" className="btn btn--style-primary btn--size-small" disabled={busy} data-action="import" onClick={() => void sendImport(false)}>
              Import
            </button>
          </div>
        )}
        {notice?.conflict && (
          <label>
            <input type="checkbox" checked={force} data-input="import-force" onChange={(event) => setForce(event.target.checked)} /> Import anyway (force)
          </label>
        )}
        {imported && (
          <ul data-import-result>
            {imported.scenes.map((scene) => (
              <li key={scene.id ?? scene.line}>
                <a href={`${config.routes.admin}/collections/scenes/${scene.id}`}>
                  {scene.sceneNumber}. {scene.title}
                </a>
              </li>
            ))}
          </ul>
        )}

        <div className="hub__actions-row">
          <label>
            Upload shot list (.csv){' '}
            <input type="file" accept=".csv,text/csv" data-input="shot-list-file" disabled={busy} onChange={(event) => void uploadShotList(event.target.files?.[0])} />
          </label>
        </div>
        {shotList && (
          <div data-shot-list-report>
            <p>
              {shotList.updated} updated, {shotList.created} created, {shotList.unchanged} unchanged, {shotList.failed} failed.
            </p>
            {shotList.notices.map((text) => (
              <p key={text} className="hub__hint">
                {text}
              </p>
            ))}
            <table className="hub__table">
              <tbody>
                {shotList.rows.map((row) => (
                  <tr key={row.row} data-report-row={row.row} data-action={row.action}>
                    <td>row {row.row}</td>
                    <td>{row.action}</td>
                    <td>{row.error ? `${row.error.field}: ${row.error.message}` : row.changed.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {notice && (
          <p className={notice.kind === 'error' ? 'hub__error' : 'hub__hint'} data-notice={notice.kind}>
            {notice.text}
          </p>
        )}
      </section>
    </div>
  )
}
