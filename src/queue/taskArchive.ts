import mongoose from 'mongoose'

import { openTaskStatuses } from '../model/options'
import { isDuplicateKeyError, type LeaseDoc, queueCollectionsOf, type SettlementDoc } from './queueStore'

/**
 * Finished tasks moved out of `tasks` (npm run tasks:archive, project deletion): the task document as it was, plus
 * why and when, and its attempts (from the engine's lease and settlement documents, which are deleted with it).
 */
export const TASK_ARCHIVE_COLLECTION = 'tasks_archive'
export const finishedTaskStatuses = ['completed', 'failed', 'cancelled'] as const

type Db = mongoose.mongo.Db
type Doc = { _id: mongoose.mongo.ObjectId } & Record<string, unknown>

/** One attempt of an archived task: who held it and how it ended. */
export type ArchivedAttempt = {
  attempt: number
  workerId: string
  claimedAt: Date
  endedAt: Date | null
  outcome: SettlementDoc['outcome'] | null
  next: SettlementDoc['next'] | null
  retryCount: number | null
  error: { code: string; message: string } | null
}

export type ArchiveReason = 'retention' | 'project-deleted' | 'episode-deleted'

export type ArchiveResult = {
  /** Moved (or, on a dry run, that would be moved). */
  archived: number
  /** Finished but kept, because a queued or processing task depends on them (its claim looks for them in `tasks`). */
  keptForDependants: number
}

/**
 * Tasks finished before `cutoff` (the retention archive, `npm run tasks:archive`): by `completedAt`, or for tasks
 * finished before the engine set it, by their last update. Bounded by `_id` as well: a task finished before the
 * cutoff was created before it, and its ObjectId carries its creation time, so the batches (in `_id` order) walk the
 * `_id` index over the tasks created before the cutoff only, never the younger rest of the collection. An hour of
 * slack covers clocks that differ between app servers.
 */
export function finishedBefore(cutoff: Date): Record<string, unknown> {
  const createdBy = mongoose.Types.ObjectId.createFromTime(Math.floor(cutoff.getTime() / 1000) + 60 * 60)
  return { _id: { $lt: createdBy }, $or: [{ completedAt: { $lt: cutoff } }, { completedAt: null, updatedAt: { $lt: cutoff } }] }
}

/** Finished tasks matching `filter`: what archiveTasks looks at, for counting before a run. */
export const finishedTasksFilter = (filter: Record<string, unknown>) => ({ ...filter, status: { $in: [...finishedTaskStatuses] } })

/**
 * Moves finished tasks matching `filter` into tasks_archive in batches (by `_id`): copy the batch with its attempts
 * (copies left by an interrupted run are kept as they are), check every copy is there, delete the engine's
 * documents of those tasks (leases, settlements, cancel requests: their content is in the copy's `attempts`), then
 * the tasks. Between the steps a task is in both collections, never in neither: an interrupted run loses nothing,
 * and running again finishes it (idempotent). Only inserts and deletes are used, so it is correct on FerretDB too.
 * Tasks that an open task depends on stay until that task has finished.
 */
export async function archiveTasks({
  db,
  filter,
  reason,
  batchSize = 500,
  dryRun = false,
  now = new Date(),
  onBatch,
}: {
  db: Db
  filter: Record<string, unknown>
  reason: ArchiveReason
  batchSize?: number
  dryRun?: boolean
  now?: Date
  /** Called after each batch with the number of tasks it looked at. */
  onBatch?: (looked: number) => void
}): Promise<ArchiveResult> {
  const tasks = db.collection<Doc>('tasks')
  const archive = db.collection<Doc>(TASK_ARCHIVE_COLLECTION)
  const result: ArchiveResult = { archived: 0, keptForDependants: 0 }
  // The overview sums a project's archived tasks (src/services/projectOverview.ts). Idempotent.
  if (!dryRun) await archive.createIndex({ project: 1 })
  let after: mongoose.mongo.ObjectId | undefined
  for (;;) {
    const batch = await tasks
      .find(after ? { $and: [finishedTasksFilter(filter), { _id: { $gt: after } }] } : finishedTasksFilter(filter))
      .sort({ _id: 1 })
      .limit(batchSize)
      .toArray()
    if (batch.length === 0) break
    after = batch[batch.length - 1]._id
    const ids = batch.map((task) => task._id)
    const dependants = await tasks
      .find({ 'input.dependencies': { $in: ids }, status: { $in: [...openTaskStatuses] } }, { projection: { 'input.dependencies': 1 } })
      .toArray()
    const needed = new Set(dependants.flatMap((task) => ((task.input as { dependencies?: unknown[] })?.dependencies ?? []).map(String)))
    const movable = batch.filter((task) => !needed.has(String(task._id)))
    result.keptForDependants += batch.length - movable.length
    result.archived += movable.length
    if (!dryRun && movable.length > 0) await moveBatch({ db, tasks, archive, movable, reason, now })
    onBatch?.(batch.length)
  }
  return result
}

/** The attempts of each task, in order, from its leases and their settlements. */
async function attemptsOf(db: Db, ids: mongoose.mongo.ObjectId[]): Promise<Map<string, ArchivedAttempt[]>> {
  const queue = queueCollectionsOf(db)
  const [leases, settlements] = await Promise.all([
    queue.leases.find({ task: { $in: ids } }).toArray(),
    queue.settlements.find({ task: { $in: ids } }).toArray(),
  ])
  const endings = new Map(settlements.map((settlement) => [settlement._id, settlement]))
  const byTask = new Map<string, ArchivedAttempt[]>()
  for (const lease of [...leases].sort((a: LeaseDoc, b: LeaseDoc) => a.attempt - b.attempt)) {
    const ending = endings.get(lease._id)
    const attempts = byTask.get(String(lease.task)) ?? []
    attempts.push({
      attempt: lease.attempt,
      workerId: lease.workerId,
      claimedAt: lease.claimedAt,
      endedAt: ending?.at ?? null,
      outcome: ending?.outcome ?? null,
      next: ending?.next ?? null,
      retryCount: ending?.retryCount ?? null,
      error: ending?.error ?? null,
    })
    byTask.set(String(lease.task), attempts)
  }
  return byTask
}

async function moveBatch({
  db,
  tasks,
  archive,
  movable,
  reason,
  now,
}: {
  db: Db
  tasks: mongoose.mongo.Collection<Doc>
  archive: mongoose.mongo.Collection<Doc>
  movable: Doc[]
  reason: ArchiveReason
  now: Date
}) {
  const ids = movable.map((task) => task._id)
  const present = new Set((await archive.find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id)))
  const missing = movable.filter((task) => !present.has(String(task._id)))
  if (missing.length > 0) {
    const attempts = await attemptsOf(db, missing.map((task) => task._id))
    try {
      await archive.insertMany(
        missing.map((task) => ({ ...task, attempts: attempts.get(String(task._id)) ?? [], archivedAt: now, archiveReason: reason })),
        { ordered: false },
      )
    } catch (err) {
      // A second run at the same time copied some of them first: the copies are the same finished task.
      if (!isDuplicateKeyError(err)) throw err
    }
  }
  const copied = await archive.countDocuments({ _id: { $in: ids } })
  if (copied !== ids.length) throw new Error(`Archive check failed: ${copied} of ${ids.length} tasks copied; nothing of this batch was deleted.`)
  // The attempts are in the copies: the engine's documents of these finished tasks go (an interrupted run leaves
  // the tasks live with their copies, and the next run deletes them).
  const queue = queueCollectionsOf(db)
  await Promise.all([
    queue.leases.deleteMany({ task: { $in: ids } }),
    queue.settlements.deleteMany({ task: { $in: ids } }),
    queue.cancelRequests.deleteMany({ _id: { $in: ids.map(String) } }),
  ])
  await tasks.deleteMany({ _id: { $in: ids }, status: { $in: [...finishedTaskStatuses] } })
}
