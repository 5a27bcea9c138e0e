import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import { isolateObjectProperty } from 'payload'

import { slugs } from '../model/slugs'
import { runAfterCommit } from '../db/afterCommit'
import { cacheTags, getCache } from '../lib/cache'
import type { Character, Episode, Project, Scene } from '../payload-types'
import { completedSceneStatuses, episodeProduction, projectProgress, renderedSceneStatuses } from './progress'
import { relationId, relationIds } from './references'
import { durationFromDialogue } from './scriptMetrics'

/**
 * Derived figures are recomputed from their source, never incremented: increments are lost under concurrent writes
 * on FerretDB v1, and a recount cannot drift. Each recompute loops until the stored figure equals a count taken
 * after the last write, so when concurrent writers interleave (one writes a count another has already outdated) the
 * last writer sees the difference and writes again; the stored figure ends equal to the source.
 *
 * The write is a `$set` of the derived paths only (payload.db.updateOne), not payload.update: a Local API update
 * rewrites the whole document from the copy it read, so a system write racing a caller's edit of, say, the episode
 * title would put the old title back. Because the derived write skips hooks, it invalidates the service cache
 * itself. Callers' writes that rewrite a whole document are repaired by the recompute their own afterChange runs.
 */

/** Set in req.context to skip recomputation (bulk imports and scripts that recompute once at the end). */

const MAX_ROUNDS = 8

export function isDerivedFiguresSkipped(req: PayloadRequest): boolean {
  return req.context?.skipDerivedFigures === true
}

/** The request without its transaction: derived figures are counted from committed data and written on their own. */
function outsideTransaction(req: PayloadRequest): PayloadRequest {
  const isolated = isolateObjectProperty(req, 'transactionID')
  isolated.transactionID = undefined
  return isolated
}

async function converge<F>({
  req,
  collection,
  id,
  compute,
  read,
  write,
  equal,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  id: string
  compute: () => Promise<F | undefined>
  read: () => Promise<F | undefined>
  write: (figure: F) => Promise<void>
  equal: (a: F, b: F) => boolean
}): Promise<boolean> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const figure = await compute()
    if (figure === undefined) return false
    const stored = await read()
    if (stored === undefined) return false // the document is gone
    if (equal(figure, stored)) return round > 0
    await write(figure)
  }
  req.payload.logger.warn({ msg: `Derived figures of ${collection} ${id} did not settle in ${MAX_ROUNDS} rounds` })
  return true
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

// ---------------------------------------------------------------------------------------------------------------
// Episode production: sceneCount, completedScenes, renderProgress from its scenes (three indexed counts)

export async function recomputeEpisodeProduction({
  req: incoming,
  episodeId,
  projectId,
}: {
  req: PayloadRequest
  episodeId: string
  /** The episode's project: the counts name it, so on a sharded cluster they go to the project's shard. */
  projectId: string
}) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const countScenes = async (where: Where) =>
    (
      await payload.count({
        collection: slugs.scenes,
        where: { and: [{ project: { equals: projectId } }, { episode: { equals: episodeId } }, where] },
        // Derived figures count every scene of the episode, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
    ).totalDocs
  let changed = false
  changed = await converge({
    req,
    collection: slugs.episodes,
    id: episodeId,
    compute: async () =>
      episodeProduction({
        sceneCount: await countScenes({}),
        completedScenes: await countScenes({ 'production.status': { in: completedSceneStatuses } }),
        renderedScenes: await countScenes({ 'production.status': { in: renderedSceneStatuses } }),
      }),
    read: async () => {
      const episode = await payload.findByID({
        collection: slugs.episodes,
        id: episodeId,
        select: { production: true },
        depth: 0,
        disableErrors: true,
        overrideAccess: true, // a system read of the system's own figure
        req,
      })
      if (!episode) return undefined
      const production = (episode as Episode).production ?? {}
      return {
        sceneCount: production.sceneCount ?? 0,
        completedScenes: production.completedScenes ?? 0,
        renderProgress: production.renderProgress ?? 0,
      }
    },
    write: async (production) => {
      await payload.db.updateOne({ collection: slugs.episodes, id: episodeId, data: { production }, req, returning: false })
    },
    equal: sameJson,
  })
  if (changed) {
    // Project progress follows the episodes' render progress.
    const episode = await payload.findByID({
      collection: slugs.episodes,
      id: episodeId,
      select: { project: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true,
      req,
    })
    const projectId = relationId(episode?.project)
    if (projectId) await recomputeProjectProgress({ req, projectId })
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Project progress: overallProgress, completedSteps from its episodes (at most episodeCount ≤ 50, read by the
// indexed project field, only status and render progress)

export async function recomputeProjectProgress({ req: incoming, projectId }: { req: PayloadRequest; projectId: string }) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const readProject = () =>
    payload.findByID({
      collection: slugs.projects,
      id: projectId,
      select: { episodeCount: true, progress: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true, // a system read of the system's own figure
      req,
    }) as Promise<Pick<Project, 'episodeCount' | 'progress'> | null>
  const changed = await converge({
    req,
    collection: slugs.projects,
    id: projectId,
    compute: async () => {
      const project = await readProject()
      if (!project) return undefined
      const { docs } = await payload.find({
        collection: slugs.episodes,
        where: { project: { equals: projectId } },
        select: { status: true, production: { renderProgress: true } },
        depth: 0,
        pagination: false,
        // Progress covers every episode of the project, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
      return projectProgress({
        episodeCount: project.episodeCount ?? 0,
        episodes: (docs as Episode[]).map((episode) => ({
          // Stored episodes always have a status (validation refuses an empty one); 'planning' is its default.
          status: episode.status ?? 'planning',
          renderProgress: episode.production?.renderProgress ?? 0,
        })),
      })
    },
    read: async () => {
      const project = await readProject()
      if (!project) return undefined
      return {
        overallProgress: project.progress?.overallProgress ?? 0,
        completedSteps: (project.progress?.completedSteps ?? []) as ReturnType<typeof projectProgress>['completedSteps'],
      }
    },
    write: async (figure) => {
      await payload.db.updateOne({
        collection: slugs.projects,
        id: projectId,
        // Dotted paths: only the derived members of the group; currentPhase is the caller's.
        data: { 'progress.overallProgress': figure.overallProgress, 'progress.completedSteps': figure.completedSteps },
        req,
        returning: false,
      })
    },
    equal: sameJson,
  })
  if (changed) await getCache().invalidate({ tags: [cacheTags.project(projectId)] })
}

// ---------------------------------------------------------------------------------------------------------------
// Character appearances: per episode, the scenes that cast the character or give it a line, and their screen time

export type Appearance = { episodeId: string; sceneIds: string[]; screenTime: number }

/** Screen time of a scene: its duration, or its dialogue timings when it has none. */
function sceneScreenTime(scene: Pick<Scene, 'script'>): number {
  return scene.script?.duration ?? durationFromDialogue(scene.script?.dialogue) ?? 0
}

export function appearancesFromScenes(scenes: Pick<Scene, 'id' | 'episode' | 'sceneNumber' | 'script'>[]): Appearance[] {
  const byEpisode = new Map<string, { scenes: typeof scenes }>()
  for (const scene of scenes) {
    const episodeId = relationId(scene.episode)
    if (!episodeId) continue
    const entry = byEpisode.get(episodeId) ?? { scenes: [] }
    entry.scenes.push(scene)
    byEpisode.set(episodeId, entry)
  }
  return [...byEpisode.entries()]
    .map(([episodeId, entry]) => {
      const sorted = [...entry.scenes].sort((a, b) => (a.sceneNumber ?? 0) - (b.sceneNumber ?? 0))
      return {
        episodeId,
        sceneIds: sorted.map((scene) => String(scene.id)),
        screenTime: sorted.reduce((sum, scene) => sum + sceneScreenTime(scene), 0),
      }
    })
    .sort((a, b) => a.episodeId.localeCompare(b.episodeId))
}

export async function recomputeCharacterAppearances({
  req: incoming,
  characterId,
}: {
  req: PayloadRequest
  characterId: string
}) {
  const req = outsideTransaction(incoming)
  const { payload } = req
  const readCharacter = () =>
    payload.findByID({
      collection: slugs.characters,
      id: characterId,
      select: { project: true, appearances: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true, // a system read of the system's own figure
      req,
    }) as Promise<Pick<Character, 'project' | 'appearances'> | null>
  let storedRows: NonNullable<Character['appearances']> = []
  const changed = await converge({
    req,
    collection: slugs.characters,
    id: characterId,
    compute: async () => {
      const character = await readCharacter()
      const projectId = relationId(character?.project)
      if (!projectId) return undefined
      // Indexed: scenes.characters and scenes.script.dialogue.character.
      const { docs } = await payload.find({
        collection: slugs.scenes,
        where: {
          and: [
            { project: { equals: projectId } },
            { or: [{ characters: { equals: characterId } }, { 'script.dialogue.character': { equals: characterId } }] },
          ],
        },
        select: { episode: true, sceneNumber: true, script: { duration: true, dialogue: true } },
        depth: 0,
        pagination: false,
        // The casting breakdown covers every scene, not the ones the caller may see.
        overrideAccess: true,
        req,
      })
      return appearancesFromScenes(docs as Scene[])
    },
    read: async () => {
      const character = await readCharacter()
      if (!character) return undefined
      storedRows = character.appearances ?? []
      return storedRows.map((row) => ({
        episodeId: relationId(row.episodeId) ?? '',
        sceneIds: relationIds(row.sceneIds),
        screenTime: row.screenTime ?? 0,
      }))
    },
    write: async (appearances) => {
      // Keep the row ids of episodes already listed, so the admin keeps its rows.
      const rowIdByEpisode = new Map(storedRows.map((row) => [relationId(row.episodeId), row.id]))
      await payload.db.updateOne({
        collection: slugs.characters,
        id: characterId,
        data: {
          appearances: appearances.map((appearance) => ({
            id: rowIdByEpisode.get(appearance.episodeId) ?? newRowId(),
            ...appearance,
          })),
        },
        req,
        returning: false,
      })
    },
    equal: sameJson,
  })
  if (changed) await getCache().invalidate({ tags: [cacheTags.character(characterId)] })
}

function newRowId(): string {
  // Payload's array row ids on MongoDB are 24-hex ObjectId strings.
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

// ---------------------------------------------------------------------------------------------------------------
// Scheduling from hooks: after the request's commit, once per document per transaction

export function scheduleEpisodeProduction({ req, episodeId, projectId }: { req: PayloadRequest; episodeId: string; projectId: string }) {
  return runAfterCommit({ req, key: `episode-production:${episodeId}`, task: () => recomputeEpisodeProduction({ req, episodeId, projectId }) })
}

export function scheduleProjectProgress({ req, projectId }: { req: PayloadRequest; projectId: string }) {
  return runAfterCommit({ req, key: `project-progress:${projectId}`, task: () => recomputeProjectProgress({ req, projectId }) })
}

export function scheduleCharacterAppearances({ req, characterId }: { req: PayloadRequest; characterId: string }) {
  return runAfterCommit({
    req,
    key: `character-appearances:${characterId}`,
    task: () => recomputeCharacterAppearances({ req, characterId }),
  })
}
