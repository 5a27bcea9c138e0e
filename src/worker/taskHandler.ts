import type { Payload } from 'payload'

import type { Task } from '../payload-types'
import type { ProgressReport, TaskOutput } from '../queue/taskQueue'

import { TaskInputError } from '../errors'
import { type AspectRatio, aspectRatios } from '../providers/local'

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
 * once, never at the same time). It returns the task's output or throws; the error family's `retryable` (src/errors,
 * taskFailure) decides whether the engine retries.
 */
export type TaskHandler = {
  taskType: Task['taskType']
  run: (args: { task: Task; context: HandlerContext }) => Promise<TaskOutput>
  /**
   * Whether this handler (as configured now: provider mode) needs ffmpeg/ffprobe. A worker without them does not
   * claim its task type (src/worker/runWorker.ts).
   */
  needsMediaTools?: () => boolean
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

/** A number parameter within bounds (seconds, counts), or a TaskInputError naming it. */
export function requireNumber(task: Task, name: string, { min = 0, max = Number.MAX_SAFE_INTEGER, fallback }: { min?: number; max?: number; fallback?: number } = {}): number {
  const raw = parameters(task)[name] ?? fallback
  const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new TaskInputError(`Task ${task.id} (${task.taskType}) needs input.parameters.${name} (a number from ${min} to ${max}).`)
  }
  return value
}

/** An optional list of media ids, or a TaskInputError naming the parameter. */
export function optionalIds(task: Task, name: string): string[] {
  const value = parameters(task)[name]
  if (value === undefined || value === null) return []
  if (!Array.isArray(value) || value.some((id) => typeof id !== 'string' || id.trim() === '')) {
    throw new TaskInputError(`Task ${task.id} (${task.taskType}): input.parameters.${name} must be a list of media ids.`)
  }
  return value as string[]
}

/** input.parameters.aspectRatio ('16:9' default, '4:3', '21:9'), or a TaskInputError. */
export function aspectRatioOf(task: Task): AspectRatio {
  const value = parameters(task).aspectRatio ?? '16:9'
  if (!aspectRatios.includes(value as AspectRatio)) {
    throw new TaskInputError(`Task ${task.id} (${task.taskType}): input.parameters.aspectRatio must be one of ${aspectRatios.join(', ')}.`)
  }
  return value as AspectRatio
}

/** The id of the document a task's result lands on (input.parameters.target.id), when it names one. */
export function targetIdOf(task: Task): string | undefined {
  const target = parameters(task).target
  const id = target && typeof target === 'object' ? (target as { id?: unknown }).id : undefined
  return typeof id === 'string' ? id : undefined
}
