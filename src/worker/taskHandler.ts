import type { Payload } from 'payload'

import type { Task } from '../payload-types'
import type { ProgressReport, TaskOutput } from '../queue/taskQueue'

export type HandlerContext = {
  payload: Payload
  workerId: string
  /** Records progress at the next heartbeat. */
  reportProgress: (progress: ProgressReport) => void
  /** Aborted when the task was cancelled or its lease was lost: stop, the result would be refused. */
  signal: AbortSignal
}

/**
 * One handler per task type. A handler is idempotent by contract: after a crash the task runs again (at least
 * once, never at the same time). It returns the task's output or throws; a ProviderError's `retryable` (or an
 * error with `retryable: false`) decides whether the engine retries.
 */
export type TaskHandler = {
  taskType: Task['taskType']
  run: (args: { task: Task; context: HandlerContext }) => Promise<TaskOutput>
}

/** A task whose input cannot work: failing again would not help. */
export class TaskInputError extends Error {
  readonly retryable = false
  readonly code = 'INVALID_TASK_INPUT'
}

export function parameters(task: Task): Record<string, unknown> {
  const value = task.input?.parameters
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

export function requireString(task: Task, name: string): string {
  const value = parameters(task)[name]
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TaskInputError(`Task ${task.id} (${task.taskType}) needs input.parameters.${name} (text).`)
  }
  return value
}
