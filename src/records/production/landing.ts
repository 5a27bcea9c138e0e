import type { Payload } from 'payload'

import { Types } from 'mongoose'

import { slugs } from '../../model/slugs'
import { cameraAngles, openTaskStatuses } from '../../model/options'
import { slotPath, slotRule, targetOf } from '../taskTargets'
import { inTurn, moveEpisodeStatus, moveSceneStatus, rawCollection, rawId, readSceneRaw, toObjectId, writePaths, writeSlot } from './productionWrites'
import { type FollowUp, planSceneWork, productionSteps } from './scenePlan'

type SettledTask = { taskId: string; next: string; output?: { mediaId?: string | null; result?: unknown } }

type RawTask = {
  _id: unknown
  taskType: string
  project?: unknown
  scene?: unknown
  input?: { parameters?: unknown } | null
}

async function readTask(payload: Payload, taskId: string) {
  return (await rawCollection(payload, slugs.tasks).findOne({ _id: toObjectId(taskId) }, { projection: { taskType: 1, project: 1, scene: 1, input: 1 } })) as RawTask | null
}

/**
 * A completed task's result lands in its target's slot (docs/QUEUE.md, Targets): the slot points at the new media
 * (a hasMany slot gets it appended). The media it replaces stays, a previous take of the slot (its
 * `generationMetadata.slot` says which; GET /api/v1/scenes/{id}/takes lists them). A storyboard plan writes the
 * scene's panels (when it has none yet) and plans the rest of the scene's work. An episode cut fills the final video,
 * thumbnail, subtitles and duration and completes the episode. Idempotent: landing twice sets the same values.
 */
export async function landCompletedTask(payload: Payload, { taskId, output }: SettledTask): Promise<void> {
  const task = await readTask(payload, taskId)
  const target = targetOf(task?.input?.parameters)
  if (!task || !target) return
  const rule = slotRule(target.collection, target.slot)
  if (!rule) return
  if (target.slot === 'storyboard.panels') {
    await landStoryboardPlan(payload, { sceneId: target.id, result: output?.result, followUp: (task.input?.parameters as { production?: FollowUp }).production })
    return
  }
  const mediaId = output?.mediaId
  if (!mediaId) return
  await writeSlot(payload, { collection: target.collection, id: target.id, path: slotPath(target), mediaId, appends: rule.appends })
  if (target.collection === 'episodes' && target.slot === 'metadata.finalVideo') {
    const result = (output?.result ?? {}) as { durationSeconds?: unknown; thumbnailMediaId?: unknown; subtitlesMediaId?: unknown }
    const set: Record<string, unknown> = {}
    if (typeof result.durationSeconds === 'number' && Number.isFinite(result.durationSeconds)) set['metadata.duration'] = result.durationSeconds
    if (typeof result.thumbnailMediaId === 'string') set['metadata.thumbnail'] = toObjectId(result.thumbnailMediaId)
    if (typeof result.subtitlesMediaId === 'string') set['metadata.subtitles'] = toObjectId(result.subtitlesMediaId)
    if (Object.keys(set).length > 0) await writePaths(payload, { collection: slugs.episodes, id: target.id, set })
    await moveEpisodeStatus(payload, { episodeId: target.id, to: 'completed' })
  }
}

/** The plan's panels become the scene's storyboard (only when it still has none: a producer's panels win). */
async function landStoryboardPlan(payload: Payload, { sceneId, result, followUp }: { sceneId: string; result: unknown; followUp?: FollowUp }) {
  const planned = (result as { panels?: unknown } | null)?.panels
  if (!Array.isArray(planned) || planned.length === 0) return
  const panels = planned.map((panel, index) => {
    const { description, cameraAngle } = (panel ?? {}) as { description?: unknown; cameraAngle?: unknown }
    return {
      id: new Types.ObjectId().toHexString(),
      panelNumber: index + 1,
      description: typeof description === 'string' ? description : '',
      cameraAngle: typeof cameraAngle === 'string' && (cameraAngles as readonly string[]).includes(cameraAngle) ? cameraAngle : cameraAngles[0],
      image: null,
    }
  })
  // Only the panels path, and only while the scene has none ($set guarded by the filter).
  await inTurn(payload, slugs.scenes, sceneId, () =>
    rawCollection(payload, slugs.scenes).updateOne(
      { _id: toObjectId(sceneId), $or: [{ 'storyboard.panels': { $exists: false } }, { 'storyboard.panels': { $size: 0 } }, { 'storyboard.panels': null }] },
      { $set: { 'storyboard.panels': panels, updatedAt: new Date() } },
    ),
  )
  await planSceneWork({
    payload,
    sceneId,
    steps: followUp?.steps ?? productionSteps.filter((step) => step !== 'storyboard'),
    force: followUp?.force ?? false,
    priority: followUp?.priority ?? 5,
  })
}

/**
 * After a task of a scene ended for good: the scene's round is over when none of its tasks is open. A task that
 * failed or was cancelled in this round (created since the scene's `lastAttempt`) fails the scene at once; otherwise
 * the last one to end moves it to `reviewing`. Runs after the task shows its status, so of two tasks ending at once
 * the later one sees both ended.
 */
export async function settleSceneRound(payload: Payload, { taskId, next }: SettledTask): Promise<void> {
  const task = await readTask(payload, taskId)
  const sceneId = rawId(task?.scene)
  if (!sceneId) return
  const scene = await readSceneRaw(payload, sceneId)
  if (scene?.production?.status !== 'generating') return
  if (next === 'failed' || next === 'cancelled') {
    await moveSceneStatus(payload, { sceneId, path: ['generating', 'failed'] })
    return
  }
  const tasks = rawCollection(payload, slugs.tasks)
  const since = scene.production?.lastAttempt ?? new Date(0)
  const [open, bad] = await Promise.all([
    tasks.countDocuments({ scene: toObjectId(sceneId), status: { $in: [...openTaskStatuses] } }),
    tasks.countDocuments({ scene: toObjectId(sceneId), status: { $in: ['failed', 'cancelled'] }, createdAt: { $gte: since } }),
  ])
  if (open > 0) return
  await moveSceneStatus(payload, { sceneId, path: ['generating', bad > 0 ? 'failed' : 'reviewing'] })
}

/** The engine's landing of this Payload (src/queue getTaskQueue; tests pass it to engines of their own). */
export function productionLanding(payload: Payload) {
  return {
    completing: (task: SettledTask) => landCompletedTask(payload, task),
    settled: (task: SettledTask) => settleSceneRound(payload, task),
    log: (message: string, err: unknown) => payload.logger.error({ err, msg: message }),
  }
}
