import { ConflictError } from '../errors'
import { ignoreConflict, loadTask, type QueueContext } from './queueContext'
import { attemptKey, type LeaseDoc, toObjectId } from './queueStore'
import { settle } from './endAttempt'

/**
 * The lease of one attempt, the document whose insert decides who holds it: a worker's claim (`holder` its API key's
 * user) or a cancellation (`workerId: "cancellation"`, ending at once).
 */
export function buildLease(
  ctx: QueueContext,
  { taskId, attempt, workerId, holder, leaseMs }: { taskId: string; attempt: number; workerId: string; holder: string | null; leaseMs: number },
): LeaseDoc {
  const at = ctx.now()
  return {
    _id: attemptKey(taskId, attempt),
    task: toObjectId(taskId),
    attempt,
    workerId,
    holder,
    claimedAt: at,
    expiresAt: new Date(at.getTime() + leaseMs),
    heartbeatAt: at,
  }
}

/**
 * The task's newest lease. Probed by `_id` upwards from the attempt the task document names (an `_id` lookup is
 * what FerretDB pushes down to its backend; the document may lag behind by a lost write, never run ahead).
 */
export async function latestLease(ctx: QueueContext, taskId: string, hint?: number): Promise<LeaseDoc | null> {
  let attempt = Math.max(1, hint ?? (await loadTask(ctx, taskId)).lease?.attempt ?? 1)
  let latest: LeaseDoc | null = null
  for (;;) {
    const lease = await ctx.db.leases.findOne({ _id: attemptKey(taskId, attempt) })
    if (!lease) break
    latest = lease
    attempt++
  }
  if (latest || attempt === 1) return latest
  // The hint pointed past the leases (not expected): fall back to the index.
  const [lease] = await ctx.db.leases.find({ task: toObjectId(taskId) }).sort({ attempt: -1 }).limit(1).toArray()
  return lease ?? null
}

/** The lease `workerId` holds on the task's current attempt, or a 409 saying why it holds none. */
export async function heldLease(ctx: QueueContext, { taskId, workerId, holder }: { taskId: string; workerId: string; holder?: string | null }) {
  const { db } = ctx
  const task = await loadTask(ctx, taskId)
  // Usually the lease the task names is the newest: look it up with the next one (which should not exist), its
  // settlement and any cancel request in one go, and probe further only when the document lags behind.
  const named = Math.max(1, task.lease?.attempt ?? 1)
  const [namedLease, nextLease, namedSettlement, cancelRequest] = await Promise.all([
    db.leases.findOne({ _id: attemptKey(taskId, named) }),
    db.leases.findOne({ _id: attemptKey(taskId, named + 1) }),
    db.settlements.findOne({ _id: attemptKey(taskId, named) }),
    db.cancelRequests.findOne({ _id: taskId }),
  ])
  const lease = namedLease && !nextLease ? namedLease : await latestLease(ctx, taskId, named)
  if (!lease || lease.workerId !== workerId || (holder !== undefined && lease.holder !== holder)) {
    throw new ConflictError({ message: `Worker ${workerId} does not hold task ${taskId}.`, details: { taskId } })
  }
  const settlement = lease === namedLease ? namedSettlement : await db.settlements.findOne({ _id: lease._id })
  if (settlement) {
    throw new ConflictError({
      message: `The lease of worker ${workerId} on task ${taskId} has ended (${settlement.outcome}).`,
      details: { taskId, outcome: settlement.outcome },
    })
  }
  if (lease.expiresAt.getTime() < ctx.now().getTime()) {
    await settle(ctx, { lease, outcome: 'expired', error: { code: 'LEASE_EXPIRED', message: `Lease of ${workerId} expired without a heartbeat.` } }).catch(
      ignoreConflict,
    )
    throw new ConflictError({ message: `The lease of worker ${workerId} on task ${taskId} has expired.`, details: { taskId, outcome: 'expired' } })
  }
  return { lease, task, cancelRequest }
}
