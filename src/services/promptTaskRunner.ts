import type { Payload } from 'payload'

import { Types } from 'mongoose'

import type { TaskOutput } from '../queue/taskQueue'

import { PromptTaskError } from '../errors'
import { slugs } from '../model/slugs'
import { getTaskQueue } from '../queue'
import { runPromptAttempt } from './promptRunner'
import { loadTemplateVersion } from './promptTemplateService'
import { promptTaskParametersSchema } from './schemas/promptTemplateSchemas'

type PromptTask = { id: string; project: unknown; input?: { parameters?: unknown } | null }

/** Whether a task runs a prompt template (`input.parameters` = {promptTemplateId, templateVersion, inputs}). */
export const isPromptTask = (task: PromptTask) => promptTaskParametersSchema.safeParse(task.input?.parameters).success

/**
 * Runs a task that uses a prompt template, as POST /api/v1/prompt-templates/{id}/execute enqueues it: one attempt
 * through runPromptAttempt (one PromptsExecuted record), the task's `input.promptId` linked to that record, and the
 * output returned — or a PromptTaskError. The worker's handlers call it (src/worker/handlers), so every task that
 * uses a template goes through the same path. System code acting for the worker that holds the task.
 */
export async function runPromptTask({ payload, task }: { payload: Payload; task: PromptTask }): Promise<TaskOutput> {
  const parsed = promptTaskParametersSchema.safeParse(task.input?.parameters)
  if (!parsed.success) throw new PromptTaskError('The task names no prompt template run', false)
  const { promptTemplateId, templateVersion, inputs } = parsed.data
  const template = await loadTemplateVersion({ payload, id: promptTemplateId, version: templateVersion })
  const projectId = typeof task.project === 'object' && task.project ? String((task.project as { id: unknown }).id) : String(task.project)
  const attempt = await runPromptAttempt({ payload, template, inputs, projectId })
  // A partial $set of the one link: the engine owns the rest of the task document (docs/QUEUE.md).
  await payload.db.connection.db!
    .collection(slugs.tasks)
    .updateOne({ _id: new Types.ObjectId(task.id) }, { $set: { 'input.promptId': new Types.ObjectId(attempt.execution.id) } })
  if (attempt.execution.status !== 'success') {
    throw new PromptTaskError(attempt.execution.errorMessage ?? 'The prompt run failed', attempt.retryable)
  }
  return { result: attempt.output, metrics: { cost: attempt.cost, tokensUsed: attempt.tokensUsed } }
}

/** Runs a claimed prompt task to its end: completed with the output, or failed (retryable when another try may help). */
export async function runClaimedPromptTask({ payload, task, attempt, workerId }: { payload: Payload; task: PromptTask; attempt: number; workerId: string }) {
  const queue = getTaskQueue(payload)
  try {
    return await queue.complete({ taskId: task.id, attempt, workerId, output: await runPromptTask({ payload, task }) })
  } catch (err) {
    if (!(err instanceof PromptTaskError)) throw err
    return queue.fail({ taskId: task.id, attempt, workerId, error: { code: err.code, message: err.message }, retryable: err.retryable })
  }
}

/** An in-process worker step: claims the next script_generation task and runs it; null when none is claimable. */
export async function runNextScriptTask({ payload, workerId }: { payload: Payload; workerId: string }) {
  const claimed = await getTaskQueue(payload).claim({ workerId, types: ['script_generation'] })
  if (!claimed) return null
  return runClaimedPromptTask({ payload, task: claimed.task as unknown as PromptTask, attempt: claimed.attempt, workerId })
}
