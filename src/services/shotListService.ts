import type { Episode, Scene } from '../payload-types'

import { TextInputError, ValidationError } from '../errors'
import { slugs } from '../model/slugs'
import { relationId } from '../model/references'
import {
  type EditableColumn,
  readShotList,
  type ShotListEdit,
  shotListHeader,
  shotListRecord,
  type ShotListRow,
} from '../domain/screenplay/shotList'
import { type Actor, requireUser } from './actor'
import { episodeService } from './episodeService'
import { projectService } from './projectService'
import { sceneService } from './sceneService'
import { parseInput } from './schemas/common'
import { type ExportShotListDTO, exportShotListSchema, type ImportShotListDTO, importShotListSchema, type ShotListReport } from './schemas/screenplaySchemas'
import { eachDoc, fileSlug, fileStem } from './screenplayService'
import type { CreateSceneDTO, UpdateSceneDTO } from './schemas/sceneSchemas'

export type ShotListFile = { filename: string; contentType: string; body: ReadableStream<Uint8Array> }

const csvType = 'text/csv; charset=utf-8; header=present'

/** Every character name of a project by id, for the `characters` column. */
async function characterNames(actor: Actor, projectId: string) {
  const names = new Map<string, string>()
  for await (const character of eachDoc<{ id: string; name: string }>(actor, slugs.characters, { project: { equals: projectId } }, 'name', { name: true })) {
    names.set(character.id, character.name)
  }
  return names
}

function rowOf(scene: Scene, episodeNumber: number | null | undefined, names: Map<string, string>, mediaUrl: (id: string) => string): ShotListRow {
  const media = [
    scene.production?.videoSegment,
    scene.production?.audioTrack,
    scene.production?.sceneCut,
    ...(scene.storyboard?.panels ?? []).map((panel) => panel.image),
  ]
    .map(relationId)
    .filter((id): id is string => Boolean(id))
  return {
    id: scene.id,
    episode: episodeNumber,
    sceneNumber: scene.sceneNumber,
    title: scene.title,
    location: scene.location,
    timeOfDay: scene.timeOfDay,
    mood: scene.mood,
    duration: scene.script?.duration,
    characters: (scene.characters ?? []).map((character) => names.get(relationId(character) ?? '') ?? relationId(character)).join('; '),
    productionStatus: scene.production?.status,
    attempts: scene.production?.attempts ?? 0,
    panelCount: scene.storyboard?.panels?.length ?? 0,
    media: media.map(mediaUrl).join(' '),
  }
}

/**
 * The CSV as a stream: the header first, then the rows as the scenes are read, a page (100 scenes) at a time, so a
 * long series is never held in memory whole. Access was checked before the stream starts (a 404 is still possible
 * then); a read failing half-way ends the download with an error.
 */
function csvStream(rows: () => AsyncGenerator<ShotListRow>, bom: boolean): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder()
  let iterator: AsyncGenerator<ShotListRow> | undefined
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(`${bom ? '\uFEFF' : ''}${shotListHeader()}`))
    },
    async pull(controller) {
      iterator ??= rows()
      const { done, value } = await iterator.next()
      if (done) controller.close()
      else controller.enqueue(encoder.encode(shotListRecord(value)))
    },
    async cancel() {
      await iterator?.return(undefined)
    },
  })
}

async function* episodeRows(actor: Actor, episode: Episode, names: Map<string, string>, mediaUrl: (id: string) => string) {
  for await (const scene of eachDoc<Scene>(actor, slugs.scenes, { episode: { equals: episode.id } }, 'sceneNumber')) {
    yield rowOf(scene, episode.episodeNumber, names, mediaUrl)
  }
}

/** GET /episodes/{id}/scenes.csv: the episode's shot list (404 when the episode is not the caller's to read). */
async function exportEpisode({ actor, episodeId, mediaUrl, ...input }: { actor: Actor; episodeId: string; mediaUrl: (id: string) => string } & ExportShotListDTO): Promise<ShotListFile> {
  requireUser(actor)
  const { bom } = parseInput(exportShotListSchema, input)
  const episode = await episodeService.findById({ actor, id: episodeId })
  const names = await characterNames(actor, relationId(episode.project)!)
  return { filename: `${fileStem(episode)}-shot-list.csv`, contentType: csvType, body: csvStream(() => episodeRows(actor, episode, names, mediaUrl), bom) }
}

/** GET /projects/{id}/scenes.csv: every episode's shot list, episode by episode (404 for a project not the caller's). */
async function exportProject({ actor, projectId, mediaUrl, ...input }: { actor: Actor; projectId: string; mediaUrl: (id: string) => string } & ExportShotListDTO): Promise<ShotListFile> {
  requireUser(actor)
  const { bom } = parseInput(exportShotListSchema, input)
  const project = await projectService.findById({ actor, id: projectId })
  const names = await characterNames(actor, project.id)
  async function* rows() {
    for await (const episode of eachDoc<Episode>(actor, slugs.episodes, { project: { equals: project.id } }, 'episodeNumber', { episodeNumber: true, project: true })) {
      yield* episodeRows(actor, episode, names, mediaUrl)
    }
  }
  return { filename: `${fileSlug(project.title, 'project')}-shot-list.csv`, contentType: csvType, body: csvStream(rows, bom) }
}

type ShotListRowReport = ShotListReport['rows'][number]

const currentValue = (scene: Scene, column: EditableColumn) =>
  column === 'duration' ? (scene.script?.duration ?? null) : ((scene[column] as string | null | undefined) ?? null)

const toSceneData = (edit: ShotListEdit, columns: EditableColumn[]) => {
  const data: UpdateSceneDTO = {}
  for (const column of columns) {
    if (column === 'duration') data.script = { duration: edit.duration ?? null }
    else data[column] = edit[column] as never
  }
  return data
}

/**
 * POST /episodes/{id}/scenes.csv: an edited shot list back into the episode. Rows with an id update that scene's
 * editable columns where they differ (title, location, time of day, mood, duration); rows without one create a
 * scene. The whole file is checked first (a bad cell or an id of another episode is a 400 with its row and column,
 * nothing written); then each row is written as the caller and reported: updated (with the columns), created,
 * unchanged, or failed (with the field) when the write itself is refused.
 */
async function importShotList({ actor, ...input }: { actor: Actor } & ImportShotListDTO): Promise<ShotListReport> {
  requireUser(actor)
  const { episodeId, text } = parseInput(importShotListSchema, input)
  const episode = await episodeService.findById({ actor, id: episodeId })
  const { rows, ignoredColumns, readOnlyColumns } = readShotList(text)
  const scenes = new Map<string, Scene>()
  const ids = rows.map((row) => row.id).filter((id): id is string => Boolean(id))
  if (ids.length > 0) {
    for await (const scene of eachDoc<Scene>(actor, slugs.scenes, { id: { in: ids } }, 'sceneNumber')) {
      if (relationId(scene.episode) === episode.id) scenes.set(scene.id, scene)
    }
  }
  for (const row of rows) {
    if (row.id && !scenes.has(row.id)) {
      throw new TextInputError({ line: row.line, path: `rows.${row.row}.id`, expected: `row ${row.row}, column id: a scene of this episode (or empty for a new scene)` })
    }
  }

  const notices = [
    ...(ignoredColumns.length > 0 ? [`Unknown columns ignored: ${ignoredColumns.join(', ')}`] : []),
    ...(readOnlyColumns.length > 0 ? [`Read-only columns not imported: ${readOnlyColumns.join(', ')}`] : []),
  ]
  const report: ShotListRowReport[] = []
  for (const row of rows) {
    const columns = Object.keys(row.edit) as EditableColumn[]
    try {
      if (!row.id) {
        const data: CreateSceneDTO = { episode: episode.id, ...toSceneData(row.edit, columns.filter((column) => row.edit[column] !== null)) }
        const created = await sceneService.create({ actor, data })
        report.push({ row: row.row, id: created.id, action: 'created', changed: columns.filter((column) => row.edit[column] !== null) })
        continue
      }
      const scene = scenes.get(row.id)!
      const changed = columns.filter((column) => row.edit[column] !== currentValue(scene, column))
      if (changed.length === 0) {
        report.push({ row: row.row, id: row.id, action: 'unchanged', changed })
        continue
      }
      await sceneService.update({ actor, id: row.id, data: toSceneData(row.edit, changed) })
      report.push({ row: row.row, id: row.id, action: 'updated', changed })
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err
      const issue = err.issues[0]
      report.push({ row: row.row, id: row.id, action: 'failed', changed: [], error: { field: issue?.path ?? '', message: issue?.message ?? err.message } })
    }
  }
  const count = (action: ShotListRowReport['action']) => report.filter((row) => row.action === action).length
  return { rows: report, notices, updated: count('updated'), created: count('created'), unchanged: count('unchanged'), failed: count('failed') }
}

export const shotListService = { exportEpisode, exportProject, importShotList }
