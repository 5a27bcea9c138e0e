import type mongoose from 'mongoose'
import type { Payload } from 'payload'

import type { Task } from '../payload-types'

import { ConflictError, NotFoundError, ValidationError } from '../errors'
import { engineOfDb } from '../db/engine'
import { taskStatusMachine } from '../domain/statusMachines'
import { candidateTuning, createCandidatePool, noteTasksEnqueued } from './claimCandidates'
import { hasFromTaskMarkers, resolveFromTasks } from './fromTaskParameters'
import {
  type AttemptOutcome,
  attemptKey,
  ensureQueueIndexesOn,
  isDuplicateKeyError,
  type LeaseDoc,
  type ObjectId,
  queueCollections,
  queueCollectionsOf,
  type SettlementDoc,
  toObjectId,
} from './queueStore'
import { backoffDelayMs, resolveRetryPolicies, type RetryPolicy, type RetryPolicyOverrides, type TaskType } from './retryPolicy'

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
   * Where a task's result lands in the production (src/domain/production/landing.ts). `completing` runs after the
   * settlement decided the task completed and before the task shows completed, so a crash in between is repaired
   * by reconcile running it again (it is idempotent); `settled` runs after the task shows its final status. Neither
   * can undo the settlement: their errors are logged.
   */
  landing?: TaskLanding
}

export type SettledTask = { taskId: string; next: 'completed' | 'failed' | 'cancelled' | 'queued'; output?: TaskOutput }
export type TaskLanding = {
  completing: (task: SettledTask) => Promise<void>
  settled: (task: SettledTask) => Promise<void>
  log: (message: string, err: unknown) => void
}

type RawTask = {
  _id: ObjectId
  taskType: TaskType
  project: unknown
  status: TaskStatus
  priority: number
  input?: { dependencies?: unknown[] | null; parameters?: unknown } | null
  lease?: { attempt?: number | null } | null
}

/** Extra reads past the projects a full candidate read saw (fairness across projects, readCandidates). */
const FAIRNESS_READS = 3
/** Projects whose last service an engine remembers (the oldest is forgotten first: it counts as never served). */
const SERVED_MEMORY = 10_000

/** Queued tasks a claim looks through at most (blocked by dependencies or lost races) before answering "nothing". */
const CLAIM_SCAN_LIMIT = 512

export const DEFAULT_LEASE_MS = Number(process.env.TASK_LEASE_MS || 60_000)

const idOf = (value: unknown): string => {
  if (value && typeof value === 'object' && 'toHexString' in value) return (value as { toHexString(): string }).toHexString()
  return String(value)
}

/** A raw task document as Payload reads it (ids as strings, dates as ISO strings, `id` for `_id`). */
function toTask(raw: Record<string, unknown>): Task {
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

const badEndings = new Set<string>(['failed', 'cancelled'])

/**
 * The task engine: claims, heartbeats, results, retries, cancellation, lease expiry (docs/QUEUE.md). Every method is
 * system code (the caller's rights are checked by taskService before); every race is decided by inserting a lease
 * or a settlement under a unique `_id`, which is atomic on MongoDB and on FerretDB alike.
 */
export function createTaskQueue({
  payload,
  db: plainDb,
  now = () => new Date(),
  random = Math.random,
  retryPolicies,
  leaseMs = DEFAULT_LEASE_MS,
  onTransition,
  onProgress,
  landing,
}: TaskQueueOptions) {
  const policies = resolveRetryPolicies(retryPolicies)
  if (!payload && !plainDb) throw new Error('createTaskQueue needs payload or db')
  const db = payload ? queueCollections(payload) : queueCollectionsOf(plainDb!)
  let indexesReady: Promise<void> | undefined
  const ready = () => (indexesReady ??= ensureQueueIndexesOn(db))
  let lastReapAt = 0
  const candidates = createCandidatePool<RawTask>({ now: () => now().getTime() })
  // When this engine last served each project (a claim count), for the fair claim order (pickFairly).
  const lastServed = new Map<string, number>()
  let servedCount = 0

  const emit = (task: RawTask, status: TaskStatus, attempt: number, extra: Partial<TaskTransition> = {}) =>
    onTransition?.({
      taskId: idOf(task._id),
      projectId: idOf(task.project),
      taskType: task.taskType,
      status,
      attempt,
      at: now(),
      ...extra,
    })

  async function loadTask(taskId: string): Promise<RawTask> {
    const task = (await db.tasks.findOne({ _id: toObjectId(taskId) })) as RawTask | null
    if (!task) throw new NotFoundError({ resource: 'Task', id: taskId })
    return task
  }

  /**
   * The task's newest lease. Probed by `_id` upwards from the attempt the task document names (an `_id` lookup is
   * what FerretDB pushes down to its backend; the document may lag behind by a lost write, never run ahead).
   */
  async function latestLease(taskId: string, hint?: number): Promise<LeaseDoc | null> {
    let attempt = Math.max(1, hint ?? (await loadTask(taskId)).lease?.attempt ?? 1)
    let latest: LeaseDoc | null = null
    for (;;) {
      const lease = await db.leases.findOne({ _id: attemptKey(taskId, attempt) })
      if (!lease) break
      latest = lease
      attempt++
    }
    if (latest || attempt === 1) return latest
    // The hint pointed past the leases (not expected): fall back to the index.
    const [lease] = await db.leases.find({ task: toObjectId(taskId) }).sort({ attempt: -1 }).limit(1).toArray()
    return lease ?? null
  }

  /** The status of each of these tasks that exists (one query for all of them). */
  async function statusesOf(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map()
    const docs = await db.tasks.find({ _id: { $in: ids.map(toObjectId) } }, { projection: { status: 1 } }).toArray()
    return new Map(docs.map((doc) => [idOf(doc._id), String(doc.status)]))
  }

  /**
   * Reads `batch` queued tasks of the filter in queue order (from `skip`) and checks all their dependencies in one
   * query. Candidates whose dependencies all completed are claimable; one whose dependency failed for good or was
   * cancelled is cancelled here (its cancellation by that dependency's ending may have been lost in a race).
   */
  async function readCandidates(filter: Record<string, unknown>, skip: number, batch: number) {
    const readQueue = async (where: Record<string, unknown>, from: number) =>
      (await db.tasks
        .find(where, { projection: { taskType: 1, project: 1, status: 1, priority: 1, input: 1, lease: 1 } })
        .sort({ status: 1, priority: -1, createdAt: 1 })
        .skip(from)
        .limit(batch)
        .toArray()) as unknown as RawTask[]
    const found = await readQueue(filter, skip)
    const read = found.length
    if (skip === 0 && read === batch) {
      // Fairness across projects: one project's flood can fill a whole read, and then no other project's task would
      // be a candidate. Look past the projects seen so far, a few times, so the claim order (pickFairly) can serve them.
      const seen = new Map(found.map((task) => [idOf(task.project), task.project]))
      for (let round = 0; round < FAIRNESS_READS; round++) {
        const others = await readQueue({ ...filter, project: { $nin: [...seen.values()] } }, 0)
        for (const task of others) {
          found.push(task)
          seen.set(idOf(task.project), task.project)
        }
        if (others.length < batch) break
      }
    }
    const statuses = await statusesOf([...new Set(found.flatMap((task) => (task.input?.dependencies ?? []).map(idOf)))])
    const items: RawTask[] = []
    const waitingOn = new Set<string>()
    const doomed: { task: RawTask; dependency: string; status: string }[] = []
    for (const task of found) {
      const dependencies = (task.input?.dependencies ?? []).map(idOf)
      const bad = dependencies.find((dependency) => badEndings.has(statuses.get(dependency) ?? ''))
      if (bad) doomed.push({ task, dependency: bad, status: statuses.get(bad)! })
      else if (dependencies.every((dependency) => statuses.get(dependency) === 'completed')) items.push(task)
      else for (const dependency of dependencies) waitingOn.add(dependency)
    }
    for (const { task, dependency, status } of doomed) {
      const reason = `Dependency ${dependency} ${status === 'failed' ? 'failed' : 'was cancelled'}.`
      await cancel({ taskId: idOf(task._id), reason }).catch(ignoreConflict)
    }
    return { items, read, waitingOn }
  }

  /**
   * Claims the highest-priority, oldest queued task of `types` whose dependencies are all completed and whose
   * backoff has passed. Candidates come from the list this engine's claims share (src/queue/claimCandidates.ts);
   * the insert of lease `<task>:<attempt+1>` decides between racing claimants, so a stale candidate only loses its
   * insert. Answers null only after a read made during this claim found nothing claimable.
   */
  async function claim({ workerId, holder = null, types }: { workerId: string; holder?: string | null; types?: readonly string[] }) {
    await ready()
    const { batch, ttlMs, reapMs } = candidateTuning[(await engineOfDb(db.db)).kind]
    await reapInTurn(reapMs)
    const key = types && types.length > 0 ? [...new Set(types)].sort().join(',') : '*'
    const filter = () => ({
      status: 'queued',
      ...(types && types.length > 0 ? { taskType: { $in: [...types] } } : {}),
      $or: [{ 'lease.availableAt': null }, { 'lease.availableAt': { $lte: now() } }],
    })
    const readFirst = () => readCandidates(filter(), 0, batch)
    const startSeq = candidates.nextSeq()
    let list = await candidates.get(key, ttlMs, readFirst)
    let skip = 0
    let losses = 0
    for (;;) {
      while (list.items.length > 0) {
        // Claimants of other processes walk the same queue order: after a lost insert, jump ahead at random (further
        // with each loss) rather than lose the next insert to the same winner.
        const index = losses === 0 ? pickFairly(list.items) : Math.floor(random() * Math.min(list.items.length, 2 ** losses))
        const [task] = list.items.splice(index, 1)
        noteServed(task)
        const claimed = await claimCandidate({ task, workerId, holder })
        if (claimed === 'lost') losses++
        else if (claimed !== 'gone') return claimed
      }
      if (list.seq < startSeq) {
        // A list read before this claim began is used up: read the queue afresh.
        list = await candidates.get(key, ttlMs, readFirst, list)
        continue
      }
      // A list read during this claim is used up: look further down the queue, past blocked and lost candidates.
      if (list.read < batch || skip + batch >= CLAIM_SCAN_LIMIT) return null
      skip += batch
      list = { ...list, ...(await readCandidates(filter(), skip, batch)) }
    }
  }

  /**
   * The candidate the next claim tries: the first, in queue order, of the project this engine served least recently
   * (never served counts as longest ago). Priority orders a project's own tasks; across projects each in turn, so
   * a project that floods the queue (or uses the top priority) cannot starve the others.
   */
  function pickFairly(items: RawTask[]): number {
    let best = 0
    let bestServed = Number.POSITIVE_INFINITY
    const considered = new Set<string>()
    for (let index = 0; index < items.length; index++) {
      const project = idOf(items[index].project)
      if (considered.has(project)) continue
      considered.add(project)
      const served = lastServed.get(project) ?? -1
      if (served < bestServed) {
        best = index
        bestServed = served
      }
    }
    return best
  }

  /**
   * A claim picked one of the project's tasks: counted when picked, not when won, so the claims of an engine running
   * at the same time spread over the projects instead of all racing for one.
   */
  function noteServed(task: RawTask) {
    const project = idOf(task.project)
    lastServed.delete(project) // re-inserted last: the map's first key is the least recently served
    lastServed.set(project, ++servedCount)
    if (lastServed.size > SERVED_MEMORY) lastServed.delete(lastServed.keys().next().value!)
  }

  /** Tries to take the next attempt of one candidate: the claim, 'lost' to another claimant, or 'gone' (ended at once). */
  async function claimCandidate({ task, workerId, holder }: { task: RawTask; workerId: string; holder: string | null }) {
    const taskId = idOf(task._id)
    const attempt = (task.lease?.attempt ?? 0) + 1
    const claimedAt = now()
    const lease: LeaseDoc = {
      _id: attemptKey(taskId, attempt),
      task: toObjectId(taskId),
      attempt,
      workerId,
      holder,
      claimedAt,
      expiresAt: new Date(claimedAt.getTime() + leaseMs),
      heartbeatAt: claimedAt,
    }
    try {
      await db.leases.insertOne(lease)
    } catch (err) {
      if (isDuplicateKeyError(err)) return 'lost' as const // another claimant (or a canceller) took this attempt
      throw err
    }
    // Parameters passed on by dependencies ({ fromTask }) become their media now that all of them completed.
    if (hasFromTaskMarkers(task.input?.parameters)) await resolveFromTasks(db.tasks, taskId)
    const [claimed, cancelRequest] = await Promise.all([
      db.tasks.findOneAndUpdate(
        { _id: task._id },
        {
          $set: {
            status: 'processing',
            'lease.attempt': attempt,
            'lease.expiresAt': lease.expiresAt,
            'lease.availableAt': null,
            worker: { workerId, startedAt: claimedAt, heartbeat: claimedAt },
            progress: { percentage: 0, currentStep: null, estimatedCompletion: null },
            updatedAt: claimedAt,
          },
        },
        { returnDocument: 'after' },
      ),
      db.cancelRequests.findOne({ _id: taskId }),
    ])
    if (!claimed) {
      // The task was deleted (archived with its project) after the read: the won attempt belongs to nothing.
      await db.leases.deleteOne({ _id: lease._id })
      return 'gone' as const
    }
    emit(task, 'processing', attempt, { workerId })
    // A cancellation asked for between the read and the claim ends the attempt at once.
    if (cancelRequest) {
      await settle({ lease, outcome: 'cancelled', error: { code: 'CANCELLED', message: cancelRequest.reason } })
      return 'gone' as const
    }
    return { task: toTask(claimed), leaseExpiresAt: lease.expiresAt.toISOString(), attempt }
  }

  /**
   * Runs the expiry sweep if this period's reaper turn is this engine's: the first claim (of any process) whose
   * insert of the period's turn lands sweeps; the others skip it.
   */
  async function reapInTurn(periodMs: number) {
    const at = now().getTime()
    if (at - lastReapAt < periodMs) return
    lastReapAt = at
    const period = Math.floor(at / periodMs)
    try {
      await db.reaperTurns.insertOne({ _id: period, at: now() })
    } catch (err) {
      if (isDuplicateKeyError(err)) return // another process sweeps this period
      throw err
    }
    // Earlier turns are spent (a late process that re-inserts one only sweeps once more, which is harmless).
    await db.reaperTurns.deleteMany({ _id: { $lt: period } })
    await reapExpired()
  }

  /** The lease `workerId` holds on the task's current attempt, or a 409 saying why it holds none. */
  async function heldLease({ taskId, workerId, holder }: { taskId: string; workerId: string; holder?: string | null }) {
    const task = await loadTask(taskId)
    // Usually the lease the task names is the newest: look it up with the next one (which should not exist), its
    // settlement and any cancel request in one go, and probe further only when the document lags behind.
    const named = Math.max(1, task.lease?.attempt ?? 1)
    const [namedLease, nextLease, namedSettlement, cancelRequest] = await Promise.all([
      db.leases.findOne({ _id: attemptKey(taskId, named) }),
      db.leases.findOne({ _id: attemptKey(taskId, named + 1) }),
      db.settlements.findOne({ _id: attemptKey(taskId, named) }),
      db.cancelRequests.findOne({ _id: taskId }),
    ])
    const lease = namedLease && !nextLease ? namedLease : await latestLease(taskId, named)
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
    if (lease.expiresAt.getTime() < now().getTime()) {
      await settle({ lease, outcome: 'expired', error: { code: 'LEASE_EXPIRED', message: `Lease of ${workerId} expired without a heartbeat.` } }).catch(
        ignoreConflict,
      )
      throw new ConflictError({ message: `The lease of worker ${workerId} on task ${taskId} has expired.`, details: { taskId, outcome: 'expired' } })
    }
    return { lease, task, cancelRequest }
  }

  /** Renews the lease and records progress; a requested cancellation ends the attempt here and tells the worker. */
  async function heartbeat({
    taskId,
    workerId,
    holder,
    progress,
  }: {
    taskId: string
    workerId: string
    holder?: string | null
    progress?: ProgressReport
  }): Promise<{ leaseExpiresAt: string | null; cancelRequested: boolean }> {
    const { lease, task, cancelRequest } = await heldLease({ taskId, workerId, holder })
    if (cancelRequest) {
      await settle({ lease, task, outcome: 'cancelled', error: { code: 'CANCELLED', message: cancelRequest.reason } })
      return { leaseExpiresAt: null, cancelRequested: true }
    }
    const at = now()
    const expiresAt = new Date(at.getTime() + leaseMs)
    await db.leases.updateOne({ _id: lease._id }, { $set: { expiresAt, heartbeatAt: at } })
    const set: Record<string, unknown> = { 'worker.heartbeat': at, 'lease.expiresAt': expiresAt, updatedAt: at }
    if (progress?.percentage !== undefined) set['progress.percentage'] = progress.percentage
    if (progress?.currentStep !== undefined) set['progress.currentStep'] = progress.currentStep
    if (progress?.estimatedCompletion !== undefined) {
      set['progress.estimatedCompletion'] = progress.estimatedCompletion ? new Date(progress.estimatedCompletion) : null
    }
    // Guarded by attempt and status: on MongoDB a late heartbeat can never overwrite a newer state; on FerretDB
    // (no atomic update) reconcile() repairs the rare lost write from the leases and settlements.
    await db.tasks.updateOne({ _id: lease.task, status: 'processing', 'lease.attempt': lease.attempt }, { $set: set })
    if (progress && Object.keys(progress).length > 0) {
      const estimated = progress.estimatedCompletion
      onProgress?.({
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

  async function complete({ taskId, workerId, holder, output = {} }: { taskId: string; workerId: string; holder?: string | null; output?: TaskOutput }) {
    const { lease, task } = await heldLease({ taskId, workerId, holder })
    if (output.mediaId) await assertMediaOfProject({ taskId, mediaId: output.mediaId })
    return settle({
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

  async function fail({
    taskId,
    workerId,
    holder,
    error,
    retryable = true,
  }: {
    taskId: string
    workerId: string
    holder?: string | null
    error: { code: string; message: string }
    retryable?: boolean
  }) {
    const { lease, task } = await heldLease({ taskId, workerId, holder })
    return settle({ lease, task, outcome: 'failed', error, retryable })
  }

  async function assertMediaOfProject({ taskId, mediaId }: { taskId: string; mediaId: string }) {
    const task = await loadTask(taskId)
    const mediaCollection = payload ? payload.db.collections.media.collection : plainDb!.collection('media')
    const media = await mediaCollection.findOne({ _id: toObjectId(mediaId) }, { projection: { project: 1 } })
    if (!media || idOf(media.project) !== idOf(task.project)) {
      throw new ValidationError({ issues: [{ path: 'output.mediaId', message: `Media ${mediaId} does not exist in this task's project.` }] })
    }
  }

  /**
   * Ends an attempt: inserts its settlement (409 when the attempt already ended), then projects it onto the task
   * and returns the task as projected. The next status is decided here once and stored, so a re-application gives
   * the same task. `task` (its type and project) saves a read when the caller has it.
   */
  async function settle({
    lease,
    task: known,
    outcome,
    output,
    error,
    retryable = true,
  }: {
    lease: LeaseDoc
    task?: RawTask
    outcome: AttemptOutcome
    output?: SettlementDoc['output']
    error?: { code: string; message: string }
    retryable?: boolean
  }): Promise<Task> {
    const taskId = idOf(lease.task)
    const task = known ?? (await loadTask(taskId))
    const at = now()
    const isFailure = outcome === 'failed' || outcome === 'expired'
    const [earlierFailures, cancelRequested] = isFailure
      ? await Promise.all([
          db.settlements.countDocuments({ task: lease.task, outcome: { $in: ['failed', 'expired'] } }),
          db.cancelRequests.findOne({ _id: taskId }).then(Boolean),
        ])
      : [0, false]
    const retryCount = earlierFailures + (isFailure ? 1 : 0)
    const policy: RetryPolicy = policies[task.taskType]
    let next: SettlementDoc['next'] = outcome === 'completed' ? 'completed' : outcome === 'cancelled' ? 'cancelled' : 'failed'
    let availableAt: Date | undefined
    if (isFailure && cancelRequested) next = 'cancelled'
    else if (isFailure && retryable && retryCount <= policy.maxRetries) {
      next = 'queued'
      availableAt = new Date(at.getTime() + backoffDelayMs({ policy, retry: retryCount, random }))
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
    return project({ task, settlement })
  }

  /** Writes the task's state as its settlement decides, then cancels the dependants of a task that ended badly. */
  async function project({ task, settlement }: { task: RawTask; settlement: SettlementDoc }): Promise<Task> {
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
    const projected = await db.tasks.findOneAndUpdate({ _id: task._id }, { $set: set }, { returnDocument: 'after' })
    if (!projected) throw new NotFoundError({ resource: 'Task', id: taskId })
    if (landing && settlement.next !== 'queued') {
      await landing.settled(settled).catch((err) => landing.log(`Updating the production after task ${taskId} failed`, err))
    }
    emit(task, settlement.next, settlement.attempt, { workerId: settlement.workerId, reason: settlement.error?.message })
    if (settlement.next === 'queued') noteTasksEnqueued()
    if (settlement.next === 'completed') candidates.dependencyCompleted(taskId)
    if (settlement.next === 'failed' || settlement.next === 'cancelled') {
      await cancelDependants({ taskId, project: task.project, reason: `Dependency ${taskId} ${settlement.next === 'failed' ? 'failed' : 'was cancelled'}.` })
    }
    return toTask(projected)
  }

  /** A task's dependants are in its project (dependencies are checked in-project): the lookup names it, one shard. */
  async function cancelDependants({ taskId, project, reason }: { taskId: string; project: unknown; reason: string }) {
    const dependants = await db.tasks
      .find({ project, 'input.dependencies': toObjectId(taskId), status: { $in: ['queued', 'processing'] } }, { projection: { _id: 1 } })
      .toArray()
    for (const dependant of dependants) await cancel({ taskId: idOf(dependant._id), reason }).catch(ignoreConflict)
  }

  /**
   * Cancels a task: a queued one at once (the canceller takes the next attempt's lease, so no worker can), a
   * processing one at its holder's next heartbeat (or when its lease expires). A finished task is a 409.
   */
  async function cancel({ taskId, reason = 'Cancelled' }: { taskId: string; reason?: string }) {
    await ready()
    const task = await loadTask(taskId)
    if (!['queued', 'processing'].includes(task.status)) {
      throw new ConflictError({ message: `Task ${taskId} is ${task.status}; only a queued or processing task can be cancelled.`, details: { status: task.status } })
    }
    try {
      await db.cancelRequests.insertOne({ _id: taskId, reason, at: now() })
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    if (task.status === 'queued') {
      const attempt = (task.lease?.attempt ?? 0) + 1
      const at = now()
      const lease: LeaseDoc = {
        _id: attemptKey(taskId, attempt),
        task: toObjectId(taskId),
        attempt,
        workerId: 'cancellation',
        holder: null,
        claimedAt: at,
        expiresAt: at,
        heartbeatAt: at,
      }
      try {
        await db.leases.insertOne(lease)
        await settle({ lease, outcome: 'cancelled', error: { code: 'CANCELLED', message: reason } })
      } catch (err) {
        // A worker claimed it first: the request stays and ends the attempt at its next heartbeat.
        if (!isDuplicateKeyError(err)) throw err
      }
    }
    return { task: await readTask(taskId), cancelRequested: true }
  }

  /**
   * Takes back tasks whose lease ran out (a failed attempt: retried with backoff or failed for good), and re-applies
   * the latest settlement to any processing task whose attempt already ended (a write lost on FerretDB).
   */
  async function reapExpired({ limit = 50 }: { limit?: number } = {}): Promise<number> {
    await ready()
    lastReapAt = now().getTime()
    const stale = await db.tasks
      .find({ status: 'processing', $or: [{ 'lease.expiresAt': { $lt: now() } }, { 'lease.expiresAt': null }] }, { projection: { _id: 1 } })
      .limit(limit)
      .toArray()
    let reaped = 0
    for (const { _id } of stale) {
      if (await reconcile({ taskId: idOf(_id) })) reaped++
    }
    return reaped
  }

  /**
   * Brings one task's document in line with its latest lease: an ended attempt is projected again, an expired
   * one is settled as expired, a live one shows as processing. Returns whether anything changed.
   */
  async function reconcile({ taskId }: { taskId: string }): Promise<boolean> {
    const task = await loadTask(taskId)
    const lease = await latestLease(taskId, task.lease?.attempt ?? undefined)
    if (!lease) return false
    const settlement = await db.settlements.findOne({ _id: lease._id })
    if (settlement) {
      if (task.status === settlement.next && (task.lease?.attempt ?? 0) === settlement.attempt) return false
      await project({ task, settlement })
      return true
    }
    if (lease.expiresAt.getTime() < now().getTime()) {
      try {
        await settle({ lease, outcome: 'expired', error: { code: 'LEASE_EXPIRED', message: `Worker ${lease.workerId} stopped renewing its lease.` } })
        return true
      } catch (err) {
        return ignoreConflict(err) ?? false
      }
    }
    if (task.status !== 'processing' || (task.lease?.attempt ?? 0) !== lease.attempt) {
      await db.tasks.updateOne(
        { _id: task._id },
        { $set: { status: 'processing', 'lease.attempt': lease.attempt, 'lease.expiresAt': lease.expiresAt, 'worker.workerId': lease.workerId } },
      )
      return true
    }
    return false
  }

  async function readTask(taskId: string): Promise<Task> {
    // overrideAccess: the engine answers workers and members whose rights taskService checked already.
    if (payload) return payload.findByID({ collection: 'tasks', id: taskId, depth: 0, overrideAccess: true })
    const { _id, ...rest } = (await loadTask(taskId)) as unknown as Record<string, unknown>
    return { ...rest, id: idOf(_id) } as unknown as Task
  }

  return { claim, heartbeat, complete, fail, cancel, reapExpired, reconcile, policies, leaseMs, machine: taskStatusMachine }
}

export type TaskQueue = ReturnType<typeof createTaskQueue>

function ignoreConflict(err: unknown): undefined {
  if (err instanceof ConflictError) return undefined
  throw err
}
