import type { PayloadRequest } from 'payload'

import { slugs } from '../model/slugs'
import { ConflictError, type FieldIssue, ValidationError } from '../errors'
import { isDuplicateKeyError } from '../db/duplicateKey'
import { scheduleCharacterAppearances } from './derivedFigures'
import { relationId } from '../model/references'

/** A scene as the re-ordering sees it: its number and the characters it casts (their appearances follow the order). */
export type NumberedScene = { id: string; sceneNumber: number; cast: string[] }
export type SceneMove = { id: string; from: number; to: number }

/**
 * Checks that `sceneIds` lists every scene of the episode exactly once. Each issue names the field (`sceneIds`, or
 * `sceneIds.<i>` for one entry) and says what is wrong in words.
 */
export function checkSceneOrder(sceneIds: string[], scenes: Pick<NumberedScene, 'id' | 'sceneNumber'>[]): FieldIssue[] {
  const numberOf = new Map(scenes.map((scene) => [scene.id, scene.sceneNumber]))
  const seen = new Set<string>()
  const issues: FieldIssue[] = []
  sceneIds.forEach((id, index) => {
    if (!numberOf.has(id)) issues.push({ path: `sceneIds.${index}`, message: 'is not a scene of this episode' })
    else if (seen.has(id)) issues.push({ path: `sceneIds.${index}`, message: `lists scene ${numberOf.get(id)} a second time` })
    seen.add(id)
  })
  const missing = scenes.filter((scene) => !seen.has(scene.id))
  if (missing.length > 0) {
    const numbers = missing.map((scene) => scene.sceneNumber).sort((a, b) => a - b)
    issues.push({ path: 'sceneIds', message: `must list every scene of the episode; missing scene${numbers.length > 1 ? 's' : ''} ${numbers.join(', ')}` })
  }
  return issues
}

/**
 * The moves that number `order` 1..n. Ids no longer in the episode are skipped and scenes the order does not name
 * (created meanwhile) follow it in their current order, so a plan applies to whatever the episode holds now.
 * Scenes already at their number do not move.
 */
export function planSceneOrder(order: string[], scenes: Pick<NumberedScene, 'id' | 'sceneNumber'>[]): SceneMove[] {
  const byId = new Map(scenes.map((scene) => [scene.id, scene]))
  const named = [...new Set(order)].filter((id) => byId.has(id))
  const rest = scenes.filter((scene) => !named.includes(scene.id)).sort((a, b) => a.sceneNumber - b.sceneNumber)
  return [...named.map((id) => byId.get(id)!), ...rest]
    .map((scene, index) => ({ id: scene.id, from: scene.sceneNumber, to: index + 1 }))
    .filter((move) => move.from !== move.to)
}

type Scope = { req: PayloadRequest; projectId: string; episodeId: string }

/** A lock older than this belongs to a re-ordering that died half-way: the next one redoes its plan. */
export const STALE_LOCK_MS = 60_000
const LOCK_WAIT_MS = 10_000
export const SCENE_ORDER_LOCKS = 'scene-order-locks'

/**
 * One row per turn at re-ordering an episode: the turns of an episode are numbered (`generation`) and the unique
 * (episode, generation) index admits one taker per turn — an insert is the one write that is atomic on FerretDB as on
 * MongoDB. `order` is the plan, written once checked, so that the next turn can redo it; `releasedAt` ends the turn.
 */
type LockRow = { episode: string; generation: number; takenAt: Date; order: string[] | null; releasedAt?: Date }

const indexed = new WeakSet<object>()

function lockRows(req: PayloadRequest) {
  const db = req.payload.db.connection.db!
  const rows = db.collection<LockRow>(SCENE_ORDER_LOCKS)
  return { db, rows }
}

async function ensureIndex(req: PayloadRequest) {
  const { db, rows } = lockRows(req)
  if (indexed.has(db)) return
  await rows.createIndex({ episode: 1, generation: 1 }, { unique: true })
  indexed.add(db)
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Takes the episode's next turn. A turn still running makes this wait (up to LOCK_WAIT_MS, then 409); a turn taken
 * more than STALE_LOCK_MS ago and never released died half-way, and its plan is returned to be redone first.
 */
async function takeTurn({ req, episodeId }: Scope): Promise<{ generation: number; unfinished: string[] | null }> {
  await ensureIndex(req)
  const { rows } = lockRows(req)
  const deadline = Date.now() + LOCK_WAIT_MS
  for (let attempt = 0; ; attempt++) {
    const [latest] = await rows.find({ episode: episodeId }).sort({ generation: -1 }).limit(1).toArray()
    const isStale = latest && !latest.releasedAt && Date.now() - latest.takenAt.getTime() > STALE_LOCK_MS
    if (!latest || latest.releasedAt || isStale) {
      const generation = (latest?.generation ?? 0) + 1
      try {
        await rows.insertOne({ episode: episodeId, generation, takenAt: new Date(), order: null })
        // A taker delayed between its read and its insert can get a turn whose row a later taker has since cleared
        // (below): a later turn exists then, and this one is given back. The latest row is never cleared, so a
        // taker that finds no later turn right after its insert is the only holder.
        if (await rows.findOne({ episode: episodeId, generation: { $gt: generation } })) {
          await rows.deleteOne({ episode: episodeId, generation })
          continue
        }
        // Earlier turns are finished or redone now; the latest row alone tells the next taker where it stands.
        await rows.deleteMany({ episode: episodeId, generation: { $lt: generation } })
        return { generation, unfinished: isStale ? latest.order : null }
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
        continue // another taker won this turn: look again
      }
    }
    if (Date.now() > deadline) {
      throw new ConflictError({ message: 'The scenes of this episode are being re-ordered by someone else. Try again in a moment.' })
    }
    await pause(Math.min(50 * 2 ** attempt, 500))
  }
}

async function readScenes({ req, projectId, episodeId }: Scope): Promise<NumberedScene[]> {
  const docs = (await req.payload.db.collections[slugs.scenes]
    .find({ project: projectId, episode: episodeId }, { sceneNumber: 1, characters: 1, script: 1 })
    .lean()) as unknown as { _id: unknown; sceneNumber: number; characters?: unknown[]; script?: { dialogue?: { character?: unknown }[] } }[]
  return docs.map((doc) => ({
    id: String(doc._id),
    sceneNumber: doc.sceneNumber,
    cast: [...(doc.characters ?? []), ...(doc.script?.dialogue ?? []).map((line) => line.character)]
      .map(relationId)
      .filter((id): id is string => Boolean(id)),
  }))
}

/**
 * Numbers the episode's scenes 1..n in `order`, in two phases, because (project, episode, sceneNumber) is unique
 * and a swap would collide half-way: the scenes that move first go to temporary numbers below every number in use
 * (negative, and distinct from any a dead turn left behind), then to their places. The writes go through the
 * database adapter's model: the field validation would refuse the temporary numbers, and the collection hooks
 * have nothing to recount — a number changes no figure. A scene created meanwhile can take a number a move is
 * heading for; the plan is then made again over what the episode holds now.
 */
async function applyOrder(scope: Scope, order: string[]): Promise<{ moves: SceneMove[]; scenes: NumberedScene[] }> {
  const model = scope.req.payload.db.collections[slugs.scenes]
  const done: SceneMove[] = []
  for (let attempt = 0; attempt < 3; attempt++) {
    const scenes = await readScenes(scope)
    const moves = planSceneOrder(order, scenes)
    const lowest = Math.min(0, ...scenes.map((scene) => scene.sceneNumber))
    try {
      for (const [index, move] of moves.entries()) {
        await model.updateOne({ _id: move.id, episode: scope.episodeId }, { $set: { sceneNumber: lowest - index - 1 } })
      }
      const now = new Date()
      for (const move of moves) {
        await model.updateOne({ _id: move.id, episode: scope.episodeId }, { $set: { sceneNumber: move.to, updatedAt: now } })
      }
      done.push(...moves)
      return { moves: done, scenes: await readScenes(scope) }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
  }
  throw new ConflictError({ message: 'Scenes were added to this episode while it was being re-ordered. Try again.' })
}

/**
 * `applyOrder`, once more when a write fails half-way: some scenes then hold temporary (negative) numbers, which
 * would stay until the episode's next re-ordering redid the plan. A second failure leaves the turn open for that.
 */
async function applyOrderOrRedo(scope: Scope, order: string[]): Promise<{ moves: SceneMove[]; scenes: NumberedScene[] }> {
  try {
    return await applyOrder(scope, order)
  } catch {
    return await applyOrder(scope, order)
  }
}

/**
 * Re-orders an episode's scenes (system code: the caller has checked that the user may write the episode). The
 * episode's turn is held throughout, so concurrent re-orderings run one after the other; a turn that died half-way
 * is redone before this one's list is checked against the episode. Returns the scenes in their new order and the
 * moves made for this call (the redone ones included), for the audit log.
 */
export async function reorderScenes(scope: Scope & { sceneIds: string[] }): Promise<{ scenes: NumberedScene[]; moves: SceneMove[] }> {
  const { rows } = lockRows(scope.req)
  const { generation, unfinished } = await takeTurn(scope)
  const turn = { episode: scope.episodeId, generation }
  const moves: SceneMove[] = []
  // Set while numbers are being written: a write that fails then leaves the turn open for the next one to redo.
  let isMidway = false
  try {
    isMidway = Boolean(unfinished)
    if (unfinished) moves.push(...(await applyOrderOrRedo(scope, unfinished)).moves)
    isMidway = false
    const issues = checkSceneOrder(scope.sceneIds, await readScenes(scope))
    if (issues.length > 0) throw new ValidationError({ message: "The list must hold each of the episode's scenes once", issues })
    await rows.updateOne(turn, { $set: { order: scope.sceneIds } })
    isMidway = true
    const applied = await applyOrderOrRedo(scope, scope.sceneIds)
    isMidway = false
    moves.push(...applied.moves)
    // Appearances list a character's scenes in scene order.
    const cast = new Set(applied.scenes.filter((scene) => moves.some((move) => move.id === scene.id)).flatMap((scene) => scene.cast))
    await Promise.all([...cast].map((characterId) => scheduleCharacterAppearances({ req: scope.req, characterId })))
    return { scenes: applied.scenes.sort((a, b) => a.sceneNumber - b.sceneNumber), moves }
  } finally {
    // A refused list or a finished plan ends the turn; a plan cut short stays open and is redone after STALE_LOCK_MS.
    if (!isMidway) await rows.updateOne(turn, { $set: { releasedAt: new Date() } })
  }
}
