import { settle } from './endAttempt'
import { heldLease } from './lease'
import { idOf, type ProgressReport, type QueueContext } from './queueContext'

/** Renews the lease and records progress; a requested cancellation ends the attempt here and tells the worker. */
export async function heartbeat(
  ctx: QueueContext,
  { taskId, attempt, workerId, holder, progress }: { taskId: string; attempt: number; workerId: string; holder?: string | null; progress?: ProgressReport },
): Promise<{ leaseExpiresAt: string | null; cancelRequested: boolean }> {
  const { lease, task, cancelRequest } = await heldLease(ctx, { taskId, attempt, workerId, holder })
  if (cancelRequest) {
    await settle(ctx, { lease, task, outcome: 'cancelled', error: { code: 'CANCELLED', message: cancelRequest.reason }, by: cancelRequest.by ?? null })
    return { leaseExpiresAt: null, cancelRequested: true }
  }
  const at = ctx.now()
  const expiresAt = new Date(at.getTime() + ctx.leaseMs)
  await ctx.db.leases.updateOne({ _id: lease._id }, { $set: { expiresAt, heartbeatAt: at } })
  const set: Record<string, unknown> = { 'worker.heartbeat': at, 'lease.expiresAt': expiresAt, updatedAt: at }
  if (progress?.percentage !== undefined) set['progress.percentage'] = progress.percentage
  if (progress?.currentStep !== undefined) set['progress.currentStep'] = progress.currentStep
  if (progress?.estimatedCompletion !== undefined) {
    set['progress.estimatedCompletion'] = progress.estimatedCompletion ? new Date(progress.estimatedCompletion) : null
  }
  // Guarded by attempt and status: on MongoDB a late heartbeat can never overwrite a newer state; on FerretDB
  // (no atomic update) reconcile() repairs the rare lost write from the leases and settlements.
  await ctx.db.tasks.updateOne({ _id: lease.task, status: 'processing', 'lease.attempt': lease.attempt }, { $set: set })
  if (progress && Object.keys(progress).length > 0) {
    const estimated = progress.estimatedCompletion
    ctx.onProgress?.({
      taskId,
      projectId: idOf(task.project),
      taskType: task.taskType,
      attempt: lease.attempt,
      progress: {
        ...(progress.percentage !== undefined ? { percentage: progress.percentage } : {}),
        ...(progress.currentStep !== undefined ? { currentStep: progress.currentStep } : {}),
        ...(estimated !== undefined ? { estimatedCompletion: estimated ? new Date(estimated).toISOString() : null } : {}),
      },
      at,
    })
  }
  return { leaseExpiresAt: expiresAt.toISOString(), cancelRequested: false }
}
