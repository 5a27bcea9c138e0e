import type { Task } from '../payload-types'

import { ConflictError, NotFoundError } from '../errors'
import { type AuditActor, endingOperation } from './auditTransition'
import { noteTasksEnqueued } from './claimCandidates'
import { emit, idOf, loadTask, type QueueContext, type RawTask, type SettledTask, toTask } from './queueContext'
import { type AttemptOutcome, isDuplicateKeyError, type LeaseDoc, type SettlementDoc } from './queueStore'
import { backoffDelayMs, type RetryPolicy } from './retryPolicy'

/**
 * Ends an attempt: inserts its settlement (409 when the attempt already ended), then projects it onto the task
 * and returns the task as projected. The next status is decided here once and stored, so a re-application gives
 * the same task. `task` (its type and project) saves a read when the caller has it. Every ending goes through
 * here: a worker's result (settle.ts), a cancellation (cancel.ts, heartbeat.ts), an expiry (reconcile.ts).
 */
export async function settle(
  ctx: QueueContext,
  {
    lease,
    task: known,
    outcome,
    output,
    error,
    retryable = true,
    by,
  }: {
    lease: LeaseDoc
    task?: RawTask
    outcome: AttemptOutcome
    output?: SettlementDoc['output']
    error?: { code: string; message: string }
    retryable?: boolean
    /** Who ended it, for the audit entry: default the lease's holder for a result, nobody (the system) otherwise. */
    by?: AuditActor | null
  },
): Promise<Task> {
  const { db } = ctx
  const taskId = idOf(lease.task)
  const task = known ?? (await loadTask(ctx, taskId))
  const at = ctx.now()
  const isFailure = outcome === 'failed' || outcome === 'expired'
  const [earlierFailures, cancelRequested] = isFailure
    ? await Promise.all([
        db.settlements.countDocuments({ task: lease.task, outcome: { $in: ['failed', 'expired'] } }),
        db.cancelRequests.findOne({ _id: taskId }).then(Boolean),
      ])
    : [0, false]
  const retryCount = earlierFailures + (isFailure ? 1 : 0)
  const policy: RetryPolicy = ctx.policies[task.taskType]
  let next: SettlementDoc['next'] = outcome === 'completed' ? 'completed' : outcome === 'cancelled' ? 'cancelled' : 'failed'
  let availableAt: Date | undefined
  if (isFailure && cancelRequested) next = 'cancelled'
  else if (isFailure && retryable && retryCount <= policy.maxRetries) {
    next = 'queued'
    availableAt = new Date(at.getTime() + backoffDelayMs({ policy, retry: retryCount, random: ctx.random }))
  }
  const settlement: SettlementDoc = {
    _id: lease._id,
    task: lease.task,
    attempt: lease.attempt,
    outcome,
    next,
    at,
    claimedAt: lease.claimedAt,
    workerId: lease.workerId,
    retryCount,
    ...(output ? { output } : {}),
    ...(error ? { error } : {}),
    ...(availableAt ? { availableAt } : {}),
  }
  try {
    await db.settlements.insertOne(settlement)
  } catch (err) {
    if (isDuplicateKeyError(err)) {
      throw new ConflictError({ message: `Attempt ${lease.attempt} of task ${taskId} has already ended.`, details: { taskId } })
    }
    throw err
  }
  const byHolder = (outcome === 'completed' || outcome === 'failed') && lease.holder ? { id: lease.holder, viaApiKey: true } : null
  await ctx.audit?.({ operation: endingOperation[outcome], taskId, workerId: lease.workerId, attempt: lease.attempt, by: by === undefined ? byHolder : by })
  return projectSettlement(ctx, { task, settlement })
}

/** Writes the task's state as its settlement decides, then cancels the dependants of a task that ended badly. */
export async function projectSettlement(ctx: QueueContext, { task, settlement }: { task: RawTask; settlement: SettlementDoc }): Promise<Task> {
  const { landing } = ctx
  const taskId = idOf(task._id)
  const set: Record<string, unknown> = {
    status: settlement.next,
    'lease.attempt': settlement.attempt,
    'lease.expiresAt': null,
    'lease.availableAt': settlement.availableAt ?? null,
    updatedAt: settlement.at,
  }
  if (settlement.next === 'completed') {
    set.completedAt = settlement.at
    set['progress.percentage'] = 100
    set['output.mediaId'] = settlement.output?.mediaId ?? null
    set['output.result'] = settlement.output?.result ?? null
    set['output.metrics'] = {
      cost: settlement.output?.metrics?.cost ?? null,
      tokensUsed: settlement.output?.metrics?.tokensUsed ?? null,
      processingTime: (settlement.at.getTime() - settlement.claimedAt.getTime()) / 1000,
    }
  } else if (settlement.error) {
    set.error = {
      code: settlement.error.code,
      message: settlement.error.message,
      retryCount: settlement.retryCount,
      lastRetry: settlement.at,
    }
  }
  if (settlement.next === 'failed' || settlement.next === 'cancelled') set.completedAt = settlement.at
  const settled: SettledTask = {
    taskId,
    next: settlement.next,
    output: {
      mediaId: settlement.output?.mediaId ? idOf(settlement.output.mediaId) : null,
      result: settlement.output?.result,
    },
  }
  if (settlement.next === 'completed' && landing) {
    await landing.completing(settled).catch((err) => landing.log(`Landing the result of task ${taskId} failed`, err))
  }
  const projected = await ctx.db.tasks.findOneAndUpdate({ _id: task._id }, { $set: set }, { returnDocument: 'after' })
  if (!projected) throw new NotFoundError({ resource: 'Task', id: taskId })
  if (landing && settlement.next !== 'queued') {
    await landing.settled(settled).catch((err) => landing.log(`Updating the production after task ${taskId} failed`, err))
  }
  emit(ctx, task, settlement.next, settlement.attempt, { workerId: settlement.workerId, reason: settlement.error?.message })
  if (settlement.next === 'queued') noteTasksEnqueued()
  if (settlement.next === 'completed') ctx.candidates.dependencyCompleted(taskId)
  if (settlement.next === 'failed' || settlement.next === 'cancelled') {
    await ctx.cancelDependants({ taskId, project: task.project, reason: `Dependency ${taskId} ${settlement.next === 'failed' ? 'failed' : 'was cancelled'}.` })
  }
  return toTask(projected)
}
