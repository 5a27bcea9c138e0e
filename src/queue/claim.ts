import { engineOfDb } from '../db/engine'
import { NotFoundError } from '../errors'
import { cancel } from './cancel'
import { candidateTuning } from './claimCandidates'
import { settle } from './endAttempt'
import { hasFromTaskMarkers, resolveFromTasks } from './fromTaskParameters'
import { buildLease } from './lease'
import { emit, idOf, ignoreConflict, type QueueContext, type RawTask, toTask } from './queueContext'
import { isDuplicateKeyError, type LeaseDoc, toObjectId } from './queueStore'
import { reapInTurn } from './reap'
import { reconcile } from './reconcile'

/** Extra reads past the projects a full candidate read saw (fairness across projects, readCandidates). */
const FAIRNESS_READS = 3
/** Projects whose last service an engine remembers (the oldest is forgotten first: it counts as never served). */
const SERVED_MEMORY = 10_000
/** Queued tasks a claim looks through at most (blocked by dependencies or lost races) before answering "nothing". */
const CLAIM_SCAN_LIMIT = 512

const badEndings = new Set<string>(['failed', 'cancelled'])

/** How far (2^n candidates) a claim under contention may start from the head of its list. */
const MAX_SPREAD = 6

/**
 * Claims the highest-priority, oldest queued task of `types` whose dependencies are all completed and whose
 * backoff has passed. Candidates come from the list this engine's claims share (src/queue/claimCandidates.ts);
 * the insert of lease `<task>:<attempt+1>` decides between racing claimants, so a stale candidate only loses its
 * insert. Answers null only after a read made during this claim found nothing claimable.
 */
export async function claim(ctx: QueueContext, { workerId, holder = null, types }: { workerId: string; holder?: string | null; types?: readonly string[] }) {
  await ctx.ready()
  const { batch, ttlMs, reapMs } = candidateTuning[(await engineOfDb(ctx.db.db)).kind]
  await reapInTurn(ctx, reapMs)
  const key = types && types.length > 0 ? [...new Set(types)].sort().join(',') : '*'
  const filter = () => ({
    status: 'queued',
    ...(types && types.length > 0 ? { taskType: { $in: [...types] } } : {}),
    $or: [{ 'lease.availableAt': null }, { 'lease.availableAt': { $lte: ctx.now() } }],
  })
  const readFirst = () => readCandidates(ctx, filter(), 0, batch)
  const startSeq = ctx.candidates.nextSeq()
  let list = await ctx.candidates.get(key, ttlMs, readFirst)
  let skip = 0
  let losses = 0
  for (;;) {
    while (list.items.length > 0) {
      // Claimants of other processes walk the same queue order: after a lost insert, jump ahead at random (further
      // with each loss) rather than lose the next insert to the same winner; and while this engine's recent claims
      // met contention, start that far ahead already (a lone claimant keeps the exact order).
      const spread = Math.max(losses, ctx.state.contention)
      const index = spread === 0 ? pickFairly(ctx, list.items) : Math.floor(ctx.random() * Math.min(list.items.length, 2 ** spread))
      const [task] = list.items.splice(index, 1)
      noteServed(ctx, task)
      const claimed = await claimCandidate(ctx, { task, workerId, holder })
      if (claimed === 'lost') losses++
      else if (claimed !== 'gone') {
        ctx.state.contention = losses > 0 ? Math.min(MAX_SPREAD, ctx.state.contention + losses) : Math.max(0, ctx.state.contention - 1)
        return claimed
      }
    }
    if (list.seq < startSeq) {
      // A list read before this claim began is used up: read the queue afresh.
      list = await ctx.candidates.get(key, ttlMs, readFirst, list)
      continue
    }
    // A list read during this claim is used up: look further down the queue, past blocked and lost candidates.
    if (list.read < batch || skip + batch >= CLAIM_SCAN_LIMIT) return null
    skip += batch
    list = { ...list, ...(await readCandidates(ctx, filter(), skip, batch)) }
  }
}

/** The status of each of these tasks that exists (one query for all of them). */
async function statusesOf(ctx: QueueContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map()
  const docs = await ctx.db.tasks.find({ _id: { $in: ids.map(toObjectId) } }, { projection: { status: 1 } }).toArray()
  return new Map(docs.map((doc) => [idOf(doc._id), String(doc.status)]))
}

/**
 * Reads `batch` queued tasks of the filter in queue order (from `skip`) and checks all their dependencies in one
 * query. Candidates whose dependencies all completed are claimable; one whose dependency failed for good or was
 * cancelled is cancelled here (its cancellation by that dependency's ending may have been lost in a race).
 */
async function readCandidates(ctx: QueueContext, filter: Record<string, unknown>, skip: number, batch: number) {
  const readQueue = async (where: Record<string, unknown>, from: number) =>
    (await ctx.db.tasks
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
  const statuses = await statusesOf(ctx, [...new Set(found.flatMap((task) => (task.input?.dependencies ?? []).map(idOf)))])
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
    await cancel(ctx, { taskId: idOf(task._id), reason }).catch(ignoreConflict)
  }
  return { items, read, waitingOn }
}

/**
 * The candidate the next claim tries: the first, in queue order, of the project this engine served least recently
 * (never served counts as longest ago). Priority orders a project's own tasks; across projects each in turn, so
 * a project that floods the queue (or uses the top priority) cannot starve the others.
 */
function pickFairly(ctx: QueueContext, items: RawTask[]): number {
  let best = 0
  let bestServed = Number.POSITIVE_INFINITY
  const considered = new Set<string>()
  for (let index = 0; index < items.length; index++) {
    const project = idOf(items[index].project)
    if (considered.has(project)) continue
    considered.add(project)
    const served = ctx.state.lastServed.get(project) ?? -1
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
function noteServed(ctx: QueueContext, task: RawTask) {
  const { lastServed } = ctx.state
  const project = idOf(task.project)
  lastServed.delete(project) // re-inserted last: the map's first key is the least recently served
  lastServed.set(project, ++ctx.state.servedCount)
  if (lastServed.size > SERVED_MEMORY) lastServed.delete(lastServed.keys().next().value!)
}

/** Tries to take the next attempt of one candidate: the claim, 'lost' to another claimant, or 'gone' (ended at once). */
async function claimCandidate(ctx: QueueContext, { task, workerId, holder }: { task: RawTask; workerId: string; holder: string | null }) {
  const { db } = ctx
  const taskId = idOf(task._id)
  const attempt = (task.lease?.attempt ?? 0) + 1
  const lease = buildLease(ctx, { taskId, attempt, workerId, holder, leaseMs: ctx.leaseMs })
  const claimedAt = lease.claimedAt
  try {
    await db.leases.insertOne(lease)
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err
    // Another claimant (or a canceller) took this attempt; or one that crashed before writing the task did.
    await repairIfStuck(ctx, lease)
    return 'lost' as const
  }
  await ctx.testSeams.afterClaimLeaseInsert?.(lease)
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
  emit(ctx, task, 'processing', attempt, { workerId })
  await ctx.audit?.({ operation: 'task-claim', taskId, workerId, attempt, by: holder ? { id: holder, viaApiKey: true } : null })
  // A cancellation asked for between the read and the claim ends the attempt at once.
  if (cancelRequest) {
    await settle(ctx, { lease, outcome: 'cancelled', error: { code: 'CANCELLED', message: cancelRequest.reason }, by: cancelRequest.by ?? null })
    return 'gone' as const
  }
  return { task: toTask(claimed), leaseExpiresAt: lease.expiresAt.toISOString(), attempt }
}

/**
 * A claim lost the insert of `wanted`'s attempt. Usually the candidate was stale (the task moved on) or a live
 * claimant holds it; but a claimant that crashed (or whose task write failed) after its insert left that lease with
 * the task still queued at the attempt before, and then every claim loses here for ever while the reaper (which
 * sweeps processing tasks) never sees it. When the task still shows the attempt before and the lease that won has
 * expired (or already ended), reconcile the task: that attempt is settled as expired (queued again after its backoff,
 * failed when no retries are left, cancelled when asked) or its ending projected, and the task is claimable and
 * cancellable again. Costs one read by `_id` per lost insert; more only when the task is really stuck.
 */
async function repairIfStuck(ctx: QueueContext, wanted: LeaseDoc) {
  const task = await ctx.db.tasks.findOne({ _id: wanted.task }, { projection: { status: 1, lease: 1 } })
  if (!task || task.status !== 'queued' || (task.lease?.attempt ?? 0) >= wanted.attempt) return
  const [winner, ended] = await Promise.all([
    ctx.db.leases.findOne({ _id: wanted._id }, { projection: { expiresAt: 1 } }),
    ctx.db.settlements.findOne({ _id: wanted._id }, { projection: { _id: 1 } }),
  ])
  if (!winner || (!ended && winner.expiresAt.getTime() >= ctx.now().getTime())) return // a live claimant is writing the task
  await reconcile(ctx, { taskId: idOf(wanted.task) }).catch((err) => {
    if (!(err instanceof NotFoundError)) throw err // the task was deleted meanwhile: nothing to repair
  })
}
