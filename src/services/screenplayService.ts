import type { Where } from 'payload'

import type { Character, Episode, Scene } from '../payload-types'

import { ConflictError, TextInputError, ValidationError } from '../errors'
import { slugs } from '../model/slugs'
import { relationId } from '../model/references'
import {
  characterKey,
  displayName,
  type ExportScene,
  readScreenplay,
  type Screenplay,
  speakers,
  writeScreenplay,
} from '../domain/screenplay'
import { normalizeLineEnds } from '../domain/screenplay/text'
import { getProjectEventBus } from '../lib/events/projectEvents'
import type { screenplayImportPhases } from '../model/options'
import { takeImportTurn } from '../records/importTurns'
import { writeFountain } from '../domain/screenplay/fountain'
import { type Actor, requireUser } from './actor'
import { characterService } from './characterService'
import { asCaller } from './collectionService'
import { episodeService } from './episodeService'
import { sceneService } from './sceneService'
import { PAGE_SIZE, parseInput } from './schemas/common'
import { type ExportScriptDTO, exportScriptSchema, type ImportReport, importScreenplaySchema, type ImportScreenplayDTO } from './schemas/screenplaySchemas'

/** The longest script text an episode keeps (`script.content`, src/services/schemas/episodeSchemas.ts). */
const MAX_SCRIPT_CHARS = 200_000

/**
 * Every document of a query, read page by page as the caller (the page size is the API's cap): for the lists an
 * import or export needs whole — an episode's scenes, a project's characters.
 */
export async function* eachDoc<T>(actor: Actor, collection: 'scenes' | 'characters' | 'episodes' | 'media', where: Where, sort: string, select?: Record<string, unknown>) {
  for (let page = 1; ; page++) {
    const result = await actor.payload.find({ collection, where, sort, page, limit: PAGE_SIZE.max, depth: 0, ...(select ? { select } : {}), ...asCaller(actor) })
    for (const doc of result.docs) yield doc as unknown as T
    if (!result.hasNextPage) return
  }
}

async function allDocs<T>(...args: Parameters<typeof eachDoc<T>>): Promise<T[]> {
  const docs: T[] = []
  for await (const doc of eachDoc<T>(...args)) docs.push(doc)
  return docs
}

const projectCharacters = (actor: Actor, projectId: string) =>
  allDocs<Pick<Character, 'id' | 'name'>>(actor, slugs.characters, { project: { equals: projectId } }, 'name', { name: true })

const episodeScenes = (actor: Actor, episodeId: string) =>
  allDocs<Scene>(actor, slugs.scenes, { episode: { equals: episodeId } }, 'sceneNumber')

/** The media a scene already has: generated results in its slots, or media filed under it. */
async function scenesWithMedia(actor: Actor, scenes: Scene[]): Promise<string[]> {
  const inSlots = scenes.filter(
    (scene) =>
      scene.production?.videoSegment || scene.production?.audioTrack || scene.production?.sceneCut || scene.storyboard?.panels?.some((panel) => panel.image),
  )
  const ids = new Set(inSlots.map((scene) => scene.id))
  const rest = scenes.filter((scene) => !ids.has(scene.id)).map((scene) => scene.id)
  if (rest.length > 0) {
    for await (const medium of eachDoc<{ scene?: unknown }>(actor, slugs.media, { scene: { in: rest } }, 'createdAt', { scene: true })) {
      const id = relationId(medium.scene)
      if (id) ids.add(id)
    }
  }
  return scenes.map((scene) => scene.id).filter((id) => ids.has(id))
}

/**
 * Imports a screenplay into an episode (docs/API.md "Screenplays and shot lists"): each scene heading becomes a
 * scene, numbered by the usual scene numbering; speakers not yet in the project become characters (matched by name,
 * case-insensitively); the text becomes the episode's `script.content`, the title page its title and logline where
 * empty. Everything is written as the caller through the services (access, consistency, audit as for any write).
 *
 * All or nothing on both engines without a transaction: the new characters and scenes are written first; if any
 * write fails, what was written is deleted again and the episode is left as it was. Only then does a replace remove
 * the old scenes and number the new ones 1..n. An append of a screenplay the episode's script already holds is a
 * 409 (unless `force`), as is a replace that would remove scenes with generated media.
 */
async function importScreenplay({ actor, ...input }: { actor: Actor } & ImportScreenplayDTO): Promise<ImportReport> {
  requireUser(actor)
  const { episodeId, format, text, mode, dryRun, force } = parseInput(importScreenplaySchema, input)
  if (dryRun) return runImport(actor, { episodeId, format, text, mode, dryRun, force })
  // Read first so that a caller who may not see the episode gets its 404, not word of someone's import.
  await episodeService.findById({ actor, id: episodeId })
  // The duplicate check and the writes run in the episode's import turn: a second import meanwhile is a 409.
  const turn = await takeImportTurn(actor.payload, episodeId)
  try {
    return await runImport(actor, { episodeId, format, text, mode, dryRun, force }, turn.renew)
  } finally {
    await turn.release()
  }
}

type ImportPhase = (typeof screenplayImportPhases)[number]

async function runImport(
  actor: Actor,
  { episodeId, format, text, mode, dryRun, force }: ReturnType<typeof importScreenplaySchema.parse>,
  renewTurn?: () => Promise<void>,
): Promise<ImportReport> {
  const episode = await episodeService.findById({ actor, id: episodeId })
  const projectId = relationId(episode.project)!
  const screenplay = readScreenplay(format, text)
  // The episode keeps the screenplay as Fountain text (a Final Draft file is kept as its Fountain rendering).
  const scriptText = (format === 'fountain' ? normalizeLineEnds(text) : writeFountain(asExport(screenplay))).trim()
  const existingContent = episode.script?.content?.trim() ?? ''
  const oldScenes = await episodeScenes(actor, episodeId)
  const known = new Map((await projectCharacters(actor, projectId)).map((character) => [characterKey(character.name), character]))
  if (mode === 'append' && !force && (existingContent.includes(scriptText) || holdsScenes(oldScenes, screenplay, known))) {
    throw new ConflictError({
      message: 'This screenplay is already in the episode (the same text or the same scenes); send force to append it again',
      details: { episode: episodeId },
    })
  }
  const content = mode === 'append' && existingContent ? `${existingContent}\n\n${scriptText}` : scriptText
  if (content.length > MAX_SCRIPT_CHARS) {
    throw new ValidationError({ issues: [{ path: 'text', message: `The episode's script would exceed ${MAX_SCRIPT_CHARS} characters` }] })
  }

  if (mode === 'replace' && !force) {
    const withMedia = await scenesWithMedia(actor, oldScenes)
    if (withMedia.length > 0) {
      throw new ConflictError({
        message: `${withMedia.length} scene(s) to remove already have generated media; send force to replace them anyway`,
        details: { scenes: withMedia },
      })
    }
  }

  const names = speakers(screenplay)
  const newNames = names.filter((name) => !known.has(characterKey(name))).map(displayName)
  const report: ImportReport = {
    dryRun,
    mode,
    format,
    scenes: screenplay.scenes.map((scene) => ({
      id: null,
      sceneNumber: null,
      line: scene.line,
      title: scene.heading,
      location: scene.location,
      timeOfDay: scene.timeOfDay,
      dialogueLines: scene.dialogue.length,
      characters: [...new Set(scene.dialogue.map((line) => line.character))],
    })),
    newCharacters: newNames,
    existingCharacters: names.filter((name) => known.has(characterKey(name))).map((name) => known.get(characterKey(name))!.name),
    removedScenes: mode === 'replace' ? oldScenes.map((scene) => scene.id) : [],
    episode: { titleSet: Boolean(screenplay.title && !episode.title?.trim()), loglineSet: Boolean(screenplay.logline && !episode.synopsis?.logline?.trim()) },
  }
  if (dryRun) return report

  const created: { characters: string[]; scenes: string[] } = { characters: [], scenes: [] }
  const total = screenplay.scenes.length
  // Members watching the project's events stream see the import advance scene by scene, then its outcome.
  const progress = (phase: ImportPhase) =>
    void getProjectEventBus().publish(projectId, { type: 'screenplay.import', episodeId, phase, done: created.scenes.length, total, at: new Date().toISOString() })
  try {
    for (const name of newNames) {
      const character = await characterService.create({ actor, data: { project: projectId, name } })
      created.characters.push(character.id)
      known.set(characterKey(name), character)
    }
    for (const [index, scene] of screenplay.scenes.entries()) {
      const doc = await atLine(scene.line, () => sceneService.create({ actor, data: sceneData(scene, episodeId, known) }))
      created.scenes.push(doc.id)
      Object.assign(report.scenes[index], { id: doc.id, sceneNumber: doc.sceneNumber })
      progress('writing')
      await renewTurn?.()
    }
    await episodeService.update({
      actor,
      id: episodeId,
      data: {
        script: { content },
        ...(report.episode.titleSet ? { title: screenplay.title! } : {}),
        ...(report.episode.loglineSet ? { synopsis: { logline: screenplay.logline! } } : {}),
      },
    })
  } catch (err) {
    await undo(actor, created)
    progress('undone')
    throw err
  }
  if (mode === 'replace') {
    try {
      for (const scene of oldScenes) await sceneService.delete({ actor, id: scene.id })
      const order = await sceneService.reorder({ actor, episodeId, sceneIds: created.scenes })
      const numbers = new Map(order.scenes.map((scene) => [scene.id, scene.sceneNumber]))
      for (const scene of report.scenes) scene.sceneNumber = numbers.get(scene.id!) ?? scene.sceneNumber
    } catch (err) {
      progress('failed')
      throw err
    }
  }
  progress('completed')
  return report
}

/**
 * Whether the episode already holds the screenplay's scenes, one after another (the same headings, action and lines):
 * the same screenplay imported before, in either format.
 */
function holdsScenes(scenes: Scene[], screenplay: Screenplay, known: Map<string, { id: string }>): boolean {
  const names = new Map([...known].map(([key, character]) => [character.id, key]))
  const stored = scenes.map((scene) => sceneKey(toExportScene(scene, names)))
  const incoming = screenplay.scenes.map((scene) => sceneKey({ ...scene, title: scene.heading }))
  for (let start = 0; start + incoming.length <= stored.length; start++) {
    if (incoming.every((key, index) => stored[start + index] === key)) return true
  }
  return false
}

const sceneKey = (scene: ExportScene) =>
  JSON.stringify([
    scene.title ?? '',
    scene.action?.trim() ?? '',
    scene.dialogue.map((line) => [characterKey(line.character ?? ''), line.lines.trim(), line.emotion ?? null]),
  ])

/** A scene write refused for its content answers the line of its heading (and the field) like a parse error. */
async function atLine<T>(line: number, write: () => Promise<T>): Promise<T> {
  try {
    return await write()
  } catch (err) {
    if (err instanceof ValidationError) {
      const issue = err.issues[0]
      throw new TextInputError({ line, path: `scenes.${issue?.path ?? ''}`, expected: `the scene starting here cannot be stored: ${issue?.path ?? ''} ${issue?.message ?? err.message}`.trim() })
    }
    throw err
  }
}

/** Deletes what a failed import wrote (as the caller, who just created it), newest first; a failure here is logged. */
async function undo(actor: Actor, created: { characters: string[]; scenes: string[] }) {
  for (const id of created.scenes.reverse()) {
    await sceneService.delete({ actor, id }).catch((err) => actor.payload.logger.error({ msg: `import undo: scene ${id} left behind`, err }))
  }
  for (const id of created.characters.reverse()) {
    await characterService.delete({ actor, id }).catch((err) => actor.payload.logger.error({ msg: `import undo: character ${id} left behind`, err }))
  }
}

function sceneData(scene: Screenplay['scenes'][number], episodeId: string, known: Map<string, { id: string }>) {
  const idOf = (name: string) => known.get(characterKey(name))!.id
  return {
    episode: episodeId,
    title: scene.heading,
    location: scene.location,
    timeOfDay: scene.timeOfDay,
    script: {
      action: scene.action || null,
      dialogue: scene.dialogue.map((line) => ({ character: idOf(line.character), lines: line.lines, emotion: line.emotion })),
    },
    characters: [...new Set(scene.dialogue.map((line) => idOf(line.character)))],
  }
}

const asExport = (screenplay: Screenplay) => ({
  title: screenplay.title,
  logline: screenplay.logline,
  scenes: screenplay.scenes.map((scene) => ({ ...scene, title: scene.heading })),
})

export type ScriptFile = { filename: string; contentType: string; body: string }

/** The episode rebuilt from its scenes as Fountain or Final Draft (reading it back gives the same scenes). */
async function exportScript({ actor, ...input }: { actor: Actor } & ExportScriptDTO): Promise<ScriptFile> {
  requireUser(actor)
  const { episodeId, format } = parseInput(exportScriptSchema, input)
  const episode = await episodeService.findById({ actor, id: episodeId })
  const names = new Map((await projectCharacters(actor, relationId(episode.project)!)).map((character) => [character.id, character.name]))
  const scenes = await episodeScenes(actor, episodeId)
  const body = writeScreenplay(format, {
    title: episode.title ?? null,
    logline: episode.synopsis?.logline ?? null,
    scenes: scenes.map((scene) => toExportScene(scene, names)),
  })
  return {
    filename: `${fileStem(episode)}.${format}`,
    contentType: format === 'fdx' ? 'application/xml; charset=utf-8' : 'text/plain; charset=utf-8',
    body,
  }
}

function toExportScene(scene: Scene, names: Map<string, string>): ExportScene {
  return {
    title: scene.title,
    location: scene.location,
    timeOfDay: scene.timeOfDay,
    action: scene.script?.action,
    dialogue: (scene.script?.dialogue ?? []).map((line) => ({
      character: names.get(relationId(line.character) ?? '') ?? null,
      lines: line.lines,
      emotion: line.emotion,
    })),
  }
}

/** A title as a file-name part: `The Last Ferry!` → `the-last-ferry` (`fallback` when nothing is left). */
export const fileSlug = (title: string | null | undefined, fallback: string) =>
  (title ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || fallback

/** A file name from the episode: `episode-3-the-last-ferry`. */
export const fileStem = (episode: Pick<Episode, 'episodeNumber' | 'title'>) => `episode-${episode.episodeNumber ?? 'x'}-${fileSlug(episode.title, 'script')}`

export const screenplayService = { importScreenplay, exportScript }

