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

/**
 * The lease of attempt `attempt` when `workerId` (and `holder`, the API key's user) holds it and it has not ended,
 * or a 409 saying why not. Found by the attempt, never by the worker alone: a worker's concurrency slots share one
 * id, so a slot that lost its attempt (expired, re-claimed by a sibling slot) must not renew or settle the next one.
 */
export async function heldLease(
  ctx: QueueContext,
  { taskId, attempt, workerId, holder }: { taskId: string; attempt: number; workerId: string; holder?: string | null },
) {
  const { db } = ctx
  const key = attemptKey(taskId, attempt)
  const [task, lease, settlement, cancelRequest] = await Promise.all([
    loadTask(ctx, taskId),
    db.leases.findOne({ _id: key }),
    db.settlements.findOne({ _id: key }),
    db.cancelRequests.findOne({ _id: taskId }),
  ])
  if (!lease || lease.workerId !== workerId || (holder !== undefined && lease.holder !== holder)) {
    throw new ConflictError({ message: `Worker ${workerId} does not hold attempt ${attempt} of task ${taskId}.`, details: { taskId, attempt } })
  }
  if (settlement) {
    throw new ConflictError({
      message: `Attempt ${attempt} of worker ${workerId} on task ${taskId} has ended (${settlement.outcome}).`,
      details: { taskId, attempt, outcome: settlement.outcome },
    })
  }
  if (lease.expiresAt.getTime() < ctx.now().getTime()) {
    await settle(ctx, { lease, task, outcome: 'expired', error: { code: 'LEASE_EXPIRED', message: `Lease of ${workerId} expired without a heartbeat.` } }).catch(
      ignoreConflict,
    )
    throw new ConflictError({
      message: `The lease of worker ${workerId} on attempt ${attempt} of task ${taskId} has expired.`,
      details: { taskId, attempt, outcome: 'expired' },
    })
  }
  return { lease, task, cancelRequest }
}
