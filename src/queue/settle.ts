import { ValidationError } from '../errors'
import { slugs } from '../model/slugs'
import { settle } from './endAttempt'
import { heldLease } from './lease'
import { idOf, loadTask, type QueueContext, type TaskOutput } from './queueContext'
import { toObjectId } from './queueStore'

/** The holder's result: the attempt completed (its media must be of the task's project). */
export async function complete(
  ctx: QueueContext,
  { taskId, attempt, workerId, holder, output = {} }: { taskId: string; attempt: number; workerId: string; holder?: string | null; output?: TaskOutput },
) {
  const { lease, task } = await heldLease(ctx, { taskId, attempt, workerId, holder })
  if (output.mediaId) await assertMediaOfProject(ctx, { taskId, mediaId: output.mediaId })
  return settle(ctx, {
    lease,
    task,
    outcome: 'completed',
    output: {
      ...(output.mediaId ? { mediaId: toObjectId(output.mediaId) } : {}),
      ...(output.result !== undefined ? { result: output.result } : {}),
      ...(output.metrics ? { metrics: { cost: output.metrics.cost ?? null, tokensUsed: output.metrics.tokensUsed ?? null } } : {}),
    },
  })
}

/** The holder's failure: retried after its backoff while retries are left and it is retryable, else failed for good. */
export async function fail(
  ctx: QueueContext,
  {
    taskId,
    attempt,
    workerId,
    holder,
    error,
    retryable = true,
  }: { taskId: string; attempt: number; workerId: string; holder?: string | null; error: { code: string; message: string }; retryable?: boolean },
) {
  const { lease, task } = await heldLease(ctx, { taskId, attempt, workerId, holder })
  return settle(ctx, { lease, task, outcome: 'failed', error, retryable })
}

async function assertMediaOfProject(ctx: QueueContext, { taskId, mediaId }: { taskId: string; mediaId: string }) {
  const task = await loadTask(ctx, taskId)
  const mediaCollection = ctx.db.db.collection(slugs.media)
  const media = await mediaCollection.findOne({ _id: toObjectId(mediaId) }, { projection: { project: 1 } })
  if (!media || idOf(media.project) !== idOf(task.project)) {
    throw new ValidationError({ issues: [{ path: 'output.mediaId', message: `Media ${mediaId} does not exist in this task's project.` }] })
  }
}
