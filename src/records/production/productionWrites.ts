import { createLocalReq, type Payload } from 'payload'

import { Types } from 'mongoose'

import { inWriteTurn } from '../../db/documentTurns'
import { getCache, cacheTags } from '../../lib/cache'
import { slugs } from '../../model/slugs'
import { episodeStatuses, type sceneProductionStatuses } from '../../model/options'
import { recomputeEpisodeProduction, recomputeProjectProgress } from '../derivedFigures'
import { relationId } from '../../model/references'
import { episodeStatusMachine, isAllowedTransition, sceneProductionMachine } from '../../domain/statusMachines'

export type SceneStatus = (typeof sceneProductionStatuses)[number]
export type EpisodeStatus = (typeof episodeStatuses)[number]

/**
 * The production engine's writes to scenes and episodes. Each is a `$set` of the paths it owns (a slot, the
 * production status), never a whole-document write from a copy read earlier: a producer editing the scene's title or
 * dialogue at the same moment keeps the edit (Payload's update rewrites the whole document; on FerretDB no update is
 * atomic, so only disjoint paths are safe). They skip hooks, so they invalidate the service cache themselves and
 * recount the episode's production figures when a status changed.
 */

export const toObjectId = (id: string) => new Types.ObjectId(id)

/** The id text of a raw driver value (an ObjectId, whose `.id` is its bytes, or a string). */
export function rawId(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined
  if (value instanceof Types.ObjectId) return value.toHexString()
  if (typeof value === 'object' && typeof (value as { toHexString?: unknown }).toHexString === 'function') return (value as { toHexString(): string }).toHexString()
  return relationId(value)
}

export function rawCollection(payload: Payload, slug: string) {
  return payload.db.connection.db!.collection(slug)
}

/** Runs an engine write of one document in that document's write turn (FerretDB; src/db/documentTurns.ts). */
export function inTurn<T>(payload: Payload, collection: string, id: string, write: () => Promise<T>): Promise<T> {
  return inWriteTurn(payload.db.connection.db!, `${collection}:${id}`, write)
}

async function afterProductionWrite(payload: Payload, { projectId, episodeId }: { projectId?: string; episodeId?: string }) {
  if (projectId) await getCache().invalidate({ tags: [cacheTags.project(projectId)] })
  if (projectId && episodeId) {
    const req = await createLocalReq({}, payload)
    await recomputeEpisodeProduction({ req, episodeId, projectId })
  }
}

type SceneDoc = {
  _id: Types.ObjectId
  project?: unknown
  episode?: unknown
  production?: { status?: SceneStatus; attempts?: number; lastAttempt?: Date | null } | null
  storyboard?: { panels?: { id?: string; image?: unknown }[] | null } | null
}

export async function readSceneRaw(payload: Payload, sceneId: string): Promise<SceneDoc | null> {
  return (await rawCollection(payload, slugs.scenes).findOne({ _id: toObjectId(sceneId) })) as SceneDoc | null
}

/**
 * Moves a scene's production status along its machine from `from` to `to` (several legal steps may be given as a
 * path, e.g. failed → pending → generating). Entering generating counts an attempt and dates it, as the collection
 * hook does for callers' writes. Returns false (nothing written) when the scene is not in `from`. The write is
 * filtered on the status it read: on MongoDB that makes it conditional; on FerretDB a racing status write can still
 * interleave, which the next status write of the engine or a reviewer settles.
 */
export async function moveSceneStatus(
  payload: Payload,
  { sceneId, path, set: extra = {} }: { sceneId: string; path: SceneStatus[]; set?: Record<string, unknown> },
): Promise<{ moved: boolean; scene: SceneDoc | null }> {
  const moved = await inTurn(payload, slugs.scenes, sceneId, () => writeSceneStatus(payload, { sceneId, path, set: extra }))
  if (moved.moved) await afterProductionWrite(payload, { projectId: rawId(moved.scene?.project), episodeId: rawId(moved.scene?.episode) })
  return moved.moved ? { moved: true, scene: await readSceneRaw(payload, sceneId) } : moved
}

async function writeSceneStatus(
  payload: Payload,
  { sceneId, path, set: extra }: { sceneId: string; path: SceneStatus[]; set: Record<string, unknown> },
): Promise<{ moved: boolean; scene: SceneDoc | null }> {
  const scene = await readSceneRaw(payload, sceneId)
  const [from, ...steps] = path
  const current = scene?.production?.status ?? 'pending'
  if (!scene || current !== from || steps.length === 0) return { moved: false, scene }
  let at = from
  for (const to of steps) {
    if (!isAllowedTransition({ machine: sceneProductionMachine, from: at, to })) {
      throw new Error(`Scene production cannot move ${at} → ${to}.`)
    }
    at = to
  }
  const to = steps[steps.length - 1]
  const now = new Date()
  const set: Record<string, unknown> = { ...extra, 'production.status': to, updatedAt: now }
  if (to === 'generating') {
    set['production.attempts'] = (scene.production?.attempts ?? 0) + 1
    set['production.lastAttempt'] = now
  }
  const result = await rawCollection(payload, slugs.scenes).updateOne(
    { _id: scene._id, 'production.status': current },
    { $set: set },
  )
  return { moved: result.matchedCount > 0, scene }
}

/** Sets one slot path of a document to media (or appends it to a hasMany slot). */
export async function writeSlot(
  payload: Payload,
  { collection, id, path, mediaId, appends = false }: { collection: string; id: string; path: string; mediaId: string; appends?: boolean },
) {
  const update = appends
    ? { $addToSet: { [path]: toObjectId(mediaId) }, $set: { updatedAt: new Date() } }
    : { $set: { [path]: toObjectId(mediaId), updatedAt: new Date() } }
  // updateOne, then a read: FerretDB v1 has no projection on findAndModify.
  await inTurn(payload, collection, id, () => rawCollection(payload, collection).updateOne({ _id: toObjectId(id) }, update as never))
  const doc = await rawCollection(payload, collection).findOne({ _id: toObjectId(id) }, { projection: { project: 1, episode: 1 } })
  await afterProductionWrite(payload, { projectId: rawId(doc?.project) })
  if (collection === slugs.characters) await getCache().invalidate({ tags: [cacheTags.character(id)] })
  return doc
}

/** Sets several paths of one document at once (an episode's final video with its thumbnail, subtitles and duration). */
export async function writePaths(payload: Payload, { collection, id, set }: { collection: string; id: string; set: Record<string, unknown> }) {
  await inTurn(payload, collection, id, () => rawCollection(payload, collection).updateOne({ _id: toObjectId(id) }, { $set: { ...set, updatedAt: new Date() } }))
  const doc = await rawCollection(payload, collection).findOne({ _id: toObjectId(id) }, { projection: { project: 1, episode: 1 } })
  await afterProductionWrite(payload, { projectId: rawId(doc?.project) })
  return doc
}

/**
 * Walks an episode's status forward to `to` one legal stage at a time, as one `$set` of the status (the stages between
 * are passed through, each allowed by the machine): producing starts `production`, assembling `editing`, the final
 * video `completed`. Never backwards: an episode already there or further is left as it is.
 */
export async function moveEpisodeStatus(payload: Payload, { episodeId, to }: { episodeId: string; to: EpisodeStatus }) {
  const episodes = rawCollection(payload, slugs.episodes)
  const episode = await episodes.findOne({ _id: toObjectId(episodeId) }, { projection: { status: 1, project: 1 } })
  const from = (episode?.status ?? 'planning') as EpisodeStatus
  if (!episode || episodeStatuses.indexOf(from) >= episodeStatuses.indexOf(to) || !pathBetween(from, to)) return false
  await inTurn(payload, slugs.episodes, episodeId, () => episodes.updateOne({ _id: episode._id, status: from }, { $set: { status: to, updatedAt: new Date() } }))
  const projectId = rawId(episode.project)
  await afterProductionWrite(payload, { projectId })
  if (projectId) {
    await recomputeProjectProgress({ req: await createLocalReq({}, payload), projectId })
  }
  return true
}

/** The statuses between two episode statuses along the machine (breadth-first), or undefined when none leads there. */
export function pathBetween(from: EpisodeStatus, to: EpisodeStatus): EpisodeStatus[] | undefined {
  const seen = new Map<EpisodeStatus, EpisodeStatus[]>([[from, [from]]])
  const queue: EpisodeStatus[] = [from]
  while (queue.length > 0) {
    const at = queue.shift()!
    if (at === to) return seen.get(at)
    for (const next of episodeStatusMachine.transitions[at]) {
      if (!seen.has(next)) {
        seen.set(next, [...seen.get(at)!, next])
        queue.push(next)
      }
    }
  }
  return undefined
}
