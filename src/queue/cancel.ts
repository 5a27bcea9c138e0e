import { ConflictError } from '../errors'
import type { AuditActor } from './auditTransition'
import { settle } from './endAttempt'
import { buildLease } from './lease'
import { idOf, ignoreConflict, loadTask, type QueueContext, readTask } from './queueContext'
import { isDuplicateKeyError, toObjectId } from './queueStore'
import { reconcile } from './reconcile'

/**
 * Cancels a task: a queued one at once (the canceller takes the next attempt's lease, so no worker can), a
 * processing one at its holder's next heartbeat (or when its lease expires). A finished task is a 409.
 */
export async function cancel(ctx: QueueContext, { taskId, reason = 'Cancelled', by = null }: { taskId: string; reason?: string; by?: AuditActor | null }) {
  await ctx.ready()
  const task = await loadTask(ctx, taskId)
  if (!['queued', 'processing'].includes(task.status)) {
    throw new ConflictError({ message: `Task ${taskId} is ${task.status}; only a queued or processing task can be cancelled.`, details: { status: task.status } })
  }
  try {
    await ctx.db.cancelRequests.insertOne({ _id: taskId, reason, at: ctx.now(), by })
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
  }
  if (task.status === 'queued') {
    const attempt = (task.lease?.attempt ?? 0) + 1
    const lease = buildLease(ctx, { taskId, attempt, workerId: 'cancellation', holder: null, leaseMs: 0 })
    try {
      await ctx.db.leases.insertOne(lease)
      await settle(ctx, { lease, outcome: 'cancelled', error: { code: 'CANCELLED', message: reason }, by })
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
      // A worker claimed it first: the request stays and ends the attempt at its next heartbeat. Or a claimant
      // crashed between its lease insert and its task write: reconcile shows the task as its lease says (processing,
      // so the reaper watches it) or, once that lease expired, ends it as cancelled since the request exists.
      await reconcile(ctx, { taskId })
    }
  }
  return { task: await readTask(ctx, taskId), cancelRequested: true }
}

/** A task's dependants are in its project (dependencies are checked in-project): the lookup names it, one shard. */
export async function cancelDependants(ctx: QueueContext, { taskId, project, reason }: { taskId: string; project: unknown; reason: string }) {
  const dependants = await ctx.db.tasks
    .find({ project, 'input.dependencies': toObjectId(taskId), status: { $in: ['queued', 'processing'] } }, { projection: { _id: 1 } })
    .toArray()
  for (const dependant of dependants) await cancel(ctx, { taskId: idOf(dependant._id), reason }).catch(ignoreConflict)
}
