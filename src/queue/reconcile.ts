import { projectSettlement, settle } from './endAttempt'
import { latestLease } from './lease'
import { ignoreConflict, loadTask, type QueueContext } from './queueContext'

/**
 * Brings one task's document in line with its latest lease: an ended attempt is projected again, an expired
 * one is settled as expired, a live one shows as processing. Returns whether anything changed.
 */
export async function reconcile(ctx: QueueContext, { taskId }: { taskId: string }): Promise<boolean> {
  const task = await loadTask(ctx, taskId)
  const lease = await latestLease(ctx, taskId, task.lease?.attempt ?? undefined)
  if (!lease) return false
  const settlement = await ctx.db.settlements.findOne({ _id: lease._id })
  if (settlement) {
    if (task.status === settlement.next && (task.lease?.attempt ?? 0) === settlement.attempt) return false
    await projectSettlement(ctx, { task, settlement })
    return true
  }
  if (lease.expiresAt.getTime() < ctx.now().getTime()) {
    try {
      await settle(ctx, { lease, outcome: 'expired', error: { code: 'LEASE_EXPIRED', message: `Worker ${lease.workerId} stopped renewing its lease.` } })
      return true
    } catch (err) {
      return ignoreConflict(err) ?? false
    }
  }
  if (task.status !== 'processing' || (task.lease?.attempt ?? 0) !== lease.attempt) {
    // Guarded by what was read: a claimant that won this lease may have written (or settled) the task since; on
    // MongoDB the guard is atomic, on FerretDB the reaper repairs the rare lost race from the documents again.
    const { matchedCount } = await ctx.db.tasks.updateOne(
      { _id: task._id, status: task.status, 'lease.attempt': task.lease?.attempt ?? null },
      { $set: { status: 'processing', 'lease.attempt': lease.attempt, 'lease.expiresAt': lease.expiresAt, 'worker.workerId': lease.workerId } },
    )
    return matchedCount > 0
  }
  return false
}
