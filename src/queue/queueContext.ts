import type mongoose from 'mongoose'
import type { Payload } from 'payload'

import type { Task } from '../payload-types'

import { ConflictError, NotFoundError } from '../errors'
import { payloadAuditSink, type TaskAuditSink } from './auditTransition'
import { createCandidatePool } from './claimCandidates'
import { ensureQueueIndexesOn, type LeaseDoc, type ObjectId, queueCollections, queueCollectionsOf, type QueueCollections, toObjectId } from './queueStore'
import { resolveRetryPolicies, type RetryPolicy, type RetryPolicyOverrides, type TaskType } from './retryPolicy'

export type TaskStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'cancelled'

/** What the engine tells listeners (the worker's log, the live event stream) after each task transition. */
export type TaskTransition = {
  taskId: string
  projectId: string
  taskType: string
  status: TaskStatus
  attempt: number
  workerId?: string
  reason?: string
  at: Date
}

/** A holder's progress report, as the live event stream tells it. */
export type TaskProgress = {
  taskId: string
  projectId: string
  taskType: string
  attempt: number
  progress: { percentage?: number; currentStep?: string | null; estimatedCompletion?: string | null }
  at: Date
}

export type ProgressReport = { percentage?: number; currentStep?: string | null; estimatedCompletion?: string | Date | null }
export type TaskOutput = { mediaId?: string | null; result?: unknown; metrics?: { cost?: number | null; tokensUsed?: number | null } }

export type SettledTask = { taskId: string; next: 'completed' | 'failed' | 'cancelled' | 'queued'; output?: TaskOutput }
export type TaskLanding = {
  completing: (task: SettledTask) => Promise<void>
  settled: (task: SettledTask) => Promise<void>
  log: (message: string, err: unknown) => void
}

/**
 * Test seams of the engine (never set outside tests): a point where a test makes the engine fail as a crash would,
 * to prove the repair that follows. Local to the queue's context; the database-wide fault injection is src/db's.
 */
export type QueueTestSeams = {
  /** Runs after a claim's lease insert landed and before the task document is written; a throw is a crash there. */
  afterClaimLeaseInsert?: (lease: LeaseDoc) => void | Promise<void>
}

export type TaskQueueOptions = {
  /** The app's Payload; or `db`, a plain driver database (workers on connections of their own, benchmarks). */
  payload?: Payload
  db?: mongoose.mongo.Db
  /** The engine's clock (tests pass a fake one). */
  now?: () => Date
  /** [0, 1) for the backoff jitter. */
  random?: () => number
  retryPolicies?: RetryPolicyOverrides | string
  /** How long a claim holds without a heartbeat. */
  leaseMs?: number
  onTransition?: (transition: TaskTransition) => void
  onProgress?: (progress: TaskProgress) => void
  /**
   * Where a task's result lands in the production (src/records/production/landing.ts). `completing` runs after the
   * settlement decided the task completed and before the task shows completed, so a crash in between is repaired
   * by reconcile running it again (it is idempotent); `settled` runs after the task shows its final status. Neither
   * can undo the settlement: their errors are logged.
   */
  landing?: TaskLanding
  testSeams?: QueueTestSeams
}

/** A task document as the engine reads it through the driver. */
export type RawTask = {
  _id: ObjectId
  taskType: TaskType
  project: unknown
  status: TaskStatus
  priority: number
  input?: { dependencies?: unknown[] | null; parameters?: unknown } | null
  lease?: { attempt?: number | null } | null
}

export const DEFAULT_LEASE_MS = Number(process.env.TASK_LEASE_MS || 60_000)

/**
 * Everything the engine's operations share (one per engine, built by createTaskQueue): the collections, the clock,
 * the policies, the listeners, and the little state a process keeps (the candidate lists, the fair claim order, the
 * reaper's last turn). Each operation is a function of this context (src/queue/<operation>.ts).
 */
export type QueueContext = {
  payload?: Payload
  db: QueueCollections
  now: () => Date
  random: () => number
  policies: Record<TaskType, RetryPolicy>
  leaseMs: number
  onTransition?: (transition: TaskTransition) => void
  onProgress?: (progress: TaskProgress) => void
  landing?: TaskLanding
  testSeams: QueueTestSeams
  /** Writes one audit entry per transition; absent on an engine over a plain driver database (benchmarks, proofs). */
  audit?: TaskAuditSink
  /** The engine's indexes, created once before its first operation. */
  ready: () => Promise<void>
  candidates: ReturnType<typeof createCandidatePool<RawTask>>
  /**
   * Mutable: the fair claim order and how much contention recent claims met (claim.ts), the reaper's last sweep
   * (reap.ts).
   */
  state: { lastServed: Map<string, number>; servedCount: number; contention: number; lastReapAt: number }
  /**
   * Cancels the open dependants of a task that ended badly. Bound by createTaskQueue to cancel.ts: cancelling ends an
   * attempt (settle) and an ending cancels dependants, so this one edge goes through the context, not an import.
   */
  cancelDependants: (args: { taskId: string; project: unknown; reason: string }) => Promise<void>
}


export function createQueueContext(
  { payload, db: plainDb, now = () => new Date(), random = Math.random, retryPolicies, leaseMs = DEFAULT_LEASE_MS, onTransition, onProgress, landing, testSeams = {} }: TaskQueueOptions,
  cancelDependants: QueueContext['cancelDependants'],
): QueueContext {
  if (!payload && !plainDb) throw new Error('createTaskQueue needs payload or db')
  const db = payload ? queueCollections(payload) : queueCollectionsOf(plainDb!)
  let indexesReady: Promise<void> | undefined
  return {
    payload,
    db,
    now,
    random,
    policies: resolveRetryPolicies(retryPolicies),
    leaseMs,
    onTransition,
    onProgress,
    landing,
    testSeams,
    audit: payload ? payloadAuditSink(payload) : undefined,
    ready: () => (indexesReady ??= ensureQueueIndexesOn(db)),
    candidates: createCandidatePool<RawTask>({ now: () => now().getTime() }),
    state: { lastServed: new Map(), servedCount: 0, contention: 0, lastReapAt: 0 },
    cancelDependants,
  }
}

export const idOf = (value: unknown): string => {
  if (value && typeof value === 'object' && 'toHexString' in value) return (value as { toHexString(): string }).toHexString()
  return String(value)
}

/** A raw task document as Payload reads it (ids as strings, dates as ISO strings, `id` for `_id`). */
export function toTask(raw: Record<string, unknown>): Task {
  const convert = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString()
    if (Array.isArray(value)) return value.map(convert)
    if (value && typeof value === 'object') {
      if ('toHexString' in value) return idOf(value)
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, convert(inner)]))
    }
    return value
  }
  const { _id, __v: _version, ...rest } = raw
  return { ...(convert(rest) as object), id: idOf(_id) } as Task
}

export async function loadTask(ctx: QueueContext, taskId: string): Promise<RawTask> {
  const task = (await ctx.db.tasks.findOne({ _id: toObjectId(taskId) })) as RawTask | null
  if (!task) throw new NotFoundError({ resource: 'Task', id: taskId })
  return task
}

export async function readTask(ctx: QueueContext, taskId: string): Promise<Task> {
  // overrideAccess: the engine answers workers and members whose rights taskService checked already.
  if (ctx.payload) return ctx.payload.findByID({ collection: 'tasks', id: taskId, depth: 0, overrideAccess: true })
  const { _id, ...rest } = (await loadTask(ctx, taskId)) as unknown as Record<string, unknown>
  return { ...rest, id: idOf(_id) } as unknown as Task
}

export function emit(ctx: QueueContext, task: RawTask, status: TaskStatus, attempt: number, extra: Partial<TaskTransition> = {}) {
  ctx.onTransition?.({
    taskId: idOf(task._id),
    projectId: idOf(task.project),
    taskType: task.taskType,
    status,
    attempt,
    at: ctx.now(),
    ...extra,
  })
}

/** Swallows the engine's own 409 (a race another actor already decided); anything else is thrown on. */
export function ignoreConflict(err: unknown): undefined {
  if (err instanceof ConflictError) return undefined
  throw err
}
