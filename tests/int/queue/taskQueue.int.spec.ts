import type { Payload } from 'payload'

import { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Project, Task, User } from '../../../src/payload-types'

import { createTaskQueue, type TaskQueue, type TaskTransition } from '../../../src/queue/taskQueue'
import { queueCollections } from '../../../src/queue/queueStore'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The task engine on the test database (FerretDB): queue order, exclusive claims under concurrency, dependencies,
 * retries with backoff on a fake clock, lease expiry, cancellation, and what clients may not write.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User, stranger: User
let project: Project, foreign: Project
let clock = Date.parse('2030-01-01T00:00:00Z')
const now = () => new Date(clock)
const transitions: TaskTransition[] = []
let queue: TaskQueue

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('taskQueue'))
  const make = fixtures(payload)
  // Enterprise: the tests use every priority (a free account may go up to 5, docs/ACCESS.md).
  owner = (await make.user({ subscription: { tier: 'enterprise' } })) as User
  stranger = (await make.user()) as User
  project = (await make.project(owner.id)) as Project
  foreign = (await make.project(stranger.id)) as Project
  queue = createTaskQueue({
    payload,
    now,
    random: () => 0.5,
    leaseMs: 30_000,
    retryPolicies: { image_generation: { maxRetries: 2, baseDelayMs: 1_000, maxDelayMs: 60_000, jitter: 0.5 } },
    onTransition: (transition) => transitions.push(transition),
  })
})
afterAll(async () => cleanup?.())

/** Each test starts from an empty queue. */
async function emptyQueue() {
  await payload.db.collections.tasks.collection.deleteMany({})
  const db = queueCollections(payload)
  await Promise.all([db.leases.deleteMany({}), db.settlements.deleteMany({}), db.cancelRequests.deleteMany({})])
}

async function enqueue(data: Record<string, unknown> = {}): Promise<Task> {
  return (await payload.create({
    collection: 'tasks',
    data: { project: project.id, taskType: 'image_generation', ...data } as never,
    user: owner,
    overrideAccess: false,
  })) as Task
}

const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task

describe('claims', () => {
  it('serves the highest priority first, then the oldest, only the asked types, and nothing when none is claimable', async () => {
    await emptyQueue()
    const low = await enqueue({ priority: 2 })
    const highOld = await enqueue({ priority: 9 })
    const highNew = await enqueue({ priority: 9 })
    const video = await enqueue({ priority: 10, taskType: 'video_generation' })
    const order: string[] = []
    for (;;) {
      const claimed = await queue.claim({ workerId: 'w1', types: ['image_generation'] })
      if (!claimed) break
      order.push(claimed.task.id)
      expect(claimed.task.status).toBe('processing')
      expect(claimed.task.worker?.workerId).toBe('w1')
      expect(new Date(claimed.leaseExpiresAt).getTime()).toBe(clock + 30_000)
    }
    expect(order).toEqual([highOld.id, highNew.id, low.id])
    expect((await read(video.id)).status).toBe('queued')
    expect(await queue.claim({ workerId: 'w1', types: ['script_generation'] })).toBeNull()
  })

  it('gives each task to exactly one of many concurrent claimants', async () => {
    await emptyQueue()
    const tasks = await Promise.all(Array.from({ length: 12 }, () => enqueue()))
    const claims = await Promise.all(Array.from({ length: 24 }, (_, index) => queue.claim({ workerId: `w${index}` })))
    const won = claims.filter((claim) => claim !== null).map((claim) => claim!.task.id)
    expect(new Set(won).size).toBe(won.length)
    expect(won.sort()).toEqual(tasks.map((task) => task.id).sort())
    const leases = await queueCollections(payload).leases.find({}).toArray()
    expect(leases).toHaveLength(12)
  })

  it('holds a dependant back until its dependencies complete', async () => {
    await emptyQueue()
    const first = await enqueue({ priority: 1 })
    const second = await enqueue({ priority: 10, input: { dependencies: [first.id] } })
    const claimed = await queue.claim({ workerId: 'w1' })
    expect(claimed?.task.id).toBe(first.id)
    expect(await queue.claim({ workerId: 'w2' })).toBeNull()
    await queue.complete({ taskId: first.id, attempt: 1, workerId: 'w1', output: { result: { ok: true }, metrics: { cost: 0.5, tokensUsed: 10 } } })
    expect((await queue.claim({ workerId: 'w2' }))?.task.id).toBe(second.id)
  })
})

describe('results', () => {
  it('completes with engine-set times and metrics; a second result or another worker gets a 409', async () => {
    await emptyQueue()
    const task = await enqueue()
    await queue.claim({ workerId: 'w1' })
    clock += 4_000
    const heartbeat = await queue.heartbeat({ taskId: task.id, attempt: 1, workerId: 'w1', progress: { percentage: 40, currentStep: 'render' } })
    expect(heartbeat).toEqual({ leaseExpiresAt: new Date(clock + 30_000).toISOString(), cancelRequested: false })
    expect((await read(task.id)).progress).toMatchObject({ percentage: 40, currentStep: 'render' })
    await expect(queue.heartbeat({ taskId: task.id, attempt: 1, workerId: 'intruder' })).rejects.toMatchObject({ status: 409 })
    clock += 6_000
    const done = await queue.complete({ taskId: task.id, attempt: 1, workerId: 'w1', output: { result: { url: 'x' }, metrics: { cost: 1.5, tokensUsed: 99 } } })
    expect(done.status).toBe('completed')
    expect(done.completedAt).toBe(new Date(clock).toISOString())
    expect(done.output?.metrics).toMatchObject({ cost: 1.5, tokensUsed: 99, processingTime: 10 })
    expect(done.worker?.startedAt).toBe(new Date(clock - 10_000).toISOString())
    await expect(queue.complete({ taskId: task.id, attempt: 1, workerId: 'w1' })).rejects.toMatchObject({ status: 409 })
    await expect(queue.fail({ taskId: task.id, attempt: 1, workerId: 'w1', error: { code: 'X', message: 'late' } })).rejects.toMatchObject({ status: 409 })
  })

  it('retries a failure with exponential backoff and jitter, then fails for good and cancels its dependants', async () => {
    await emptyQueue()
    const task = await enqueue()
    const dependant = await enqueue({ input: { dependencies: [task.id] } })
    const grandDependant = await enqueue({ input: { dependencies: [dependant.id] } })
    // maxRetries 2, base 1 s, jitter 0.5 with random 0.5: delays 0.75 s, then 1.5 s.
    for (const [index, delay] of [750, 1_500].entries()) {
      expect((await queue.claim({ workerId: 'w1' }))?.task.id).toBe(task.id)
      const failed = await queue.fail({ taskId: task.id, attempt: index + 1, workerId: 'w1', error: { code: 'UPSTREAM_503', message: 'busy' } })
      expect(failed.status).toBe('queued')
      expect(failed.lease?.availableAt).toBe(new Date(clock + delay).toISOString())
      clock += delay - 1
      expect(await queue.claim({ workerId: 'w1' })).toBeNull()
      clock += 1
    }
    expect((await queue.claim({ workerId: 'w1' }))?.task.id).toBe(task.id)
    const final = await queue.fail({ taskId: task.id, attempt: 3, workerId: 'w1', error: { code: 'UPSTREAM_503', message: 'still busy' } })
    expect(final).toMatchObject({ status: 'failed', error: { code: 'UPSTREAM_503', retryCount: 3 } })
    expect((await read(dependant.id)).status).toBe('cancelled')
    expect((await read(dependant.id)).error?.message).toContain(task.id)
    expect((await read(grandDependant.id)).status).toBe('cancelled')
  })

  it('fails at once when the worker says the failure is not retryable', async () => {
    await emptyQueue()
    const task = await enqueue()
    await queue.claim({ workerId: 'w1' })
    const failed = await queue.fail({ taskId: task.id, attempt: 1, workerId: 'w1', error: { code: 'NO_API_KEY', message: 'FAL_KEY is not set' }, retryable: false })
    expect(failed.status).toBe('failed')
  })

  it('takes back a task whose lease ran out, refuses the stale holder, and lets another worker finish it', async () => {
    await emptyQueue()
    const task = await enqueue()
    await queue.claim({ workerId: 'slow' })
    clock += 30_001
    expect(await queue.reapExpired()).toBe(1)
    const requeued = await read(task.id)
    expect(requeued).toMatchObject({ status: 'queued', error: { code: 'LEASE_EXPIRED', retryCount: 1 } })
    await expect(queue.complete({ taskId: task.id, attempt: 1, workerId: 'slow' })).rejects.toMatchObject({ status: 409 })
    clock += 750
    expect((await queue.claim({ workerId: 'fast' }))?.attempt).toBe(2)
    await expect(queue.heartbeat({ taskId: task.id, attempt: 1, workerId: 'slow' })).rejects.toMatchObject({ status: 409 })
    expect((await queue.complete({ taskId: task.id, attempt: 2, workerId: 'fast' })).status).toBe('completed')
  })
})

describe('cancellation', () => {
  it('cancels a queued task at once and a processing one at its next heartbeat, telling the worker', async () => {
    await emptyQueue()
    const queued = await enqueue()
    const { task } = await queue.cancel({ taskId: queued.id, reason: 'not needed' })
    expect(task).toMatchObject({ status: 'cancelled', error: { message: 'not needed' } })
    expect(await queue.claim({ workerId: 'w1' })).toBeNull()

    const running = await enqueue()
    await queue.claim({ workerId: 'w1' })
    expect((await queue.cancel({ taskId: running.id })).task.status).toBe('processing')
    expect(await queue.heartbeat({ taskId: running.id, attempt: 1, workerId: 'w1' })).toEqual({ leaseExpiresAt: null, cancelRequested: true })
    expect((await read(running.id)).status).toBe('cancelled')
    await expect(queue.complete({ taskId: running.id, attempt: 1, workerId: 'w1' })).rejects.toMatchObject({ status: 409 })
    await expect(queue.cancel({ taskId: running.id })).rejects.toMatchObject({ status: 409 })
    expect(transitions.filter((t) => t.taskId === running.id).map((t) => t.status)).toEqual(['processing', 'cancelled'])
  })
})

describe('a dependant whose cancellation was lost', () => {
  it('is cancelled by the next claim that reads it, naming the dependency that failed or was cancelled', async () => {
    await emptyQueue()
    const failed = await enqueue()
    const cancelled = await enqueue()
    const orphanOfFailed = await enqueue({ priority: 9, input: { dependencies: [failed.id] } })
    const orphanOfCancelled = await enqueue({ priority: 9, input: { dependencies: [cancelled.id] } })
    const free = await enqueue({ priority: 1 })
    // The dependencies ended, but the writes that cancel their dependants were lost (a race on FerretDB).
    const tasks = payload.db.collections.tasks.collection
    await tasks.updateOne({ _id: new Types.ObjectId(failed.id) }, { $set: { status: 'failed' } })
    await tasks.updateOne({ _id: new Types.ObjectId(cancelled.id) }, { $set: { status: 'cancelled' } })

    expect((await queue.claim({ workerId: 'w1' }))?.task.id).toBe(free.id)
    expect(await read(orphanOfFailed.id)).toMatchObject({ status: 'cancelled', error: { message: `Dependency ${failed.id} failed.` } })
    expect(await read(orphanOfCancelled.id)).toMatchObject({ status: 'cancelled', error: { message: `Dependency ${cancelled.id} was cancelled.` } })
    expect(await queue.claim({ workerId: 'w1' })).toBeNull()
  })
})

describe('what clients may write', () => {
  it('refuses an illegal status change through the collection (409) and drops engine-owned fields', async () => {
    await emptyQueue()
    const task = await enqueue({
      completedAt: '2020-01-01T00:00:00.000Z',
      worker: { workerId: 'w', startedAt: '2020-01-01T00:00:00.000Z' },
      output: { metrics: { processingTime: 999, cost: 2 } },
    })
    expect(task.completedAt ?? null).toBeNull()
    expect(task.worker?.startedAt ?? null).toBeNull()
    expect(task.output?.metrics?.processingTime ?? null).toBeNull()
    expect(task.output?.metrics?.cost).toBe(2)
    await payload.update({ collection: 'tasks', id: task.id, data: { status: 'cancelled' }, user: owner, overrideAccess: false })
    await expect(
      payload.update({ collection: 'tasks', id: task.id, data: { status: 'queued' }, user: owner, overrideAccess: false }),
    ).rejects.toMatchObject({ status: 409 })
  })

  it('refuses references to another project without naming it, self-dependencies and cycles', async () => {
    await emptyQueue()
    const foreignEpisode = await fixtures(payload).episode(foreign.id, 1)
    const foreignTask = await payload.create({ collection: 'tasks', data: { project: foreign.id, taskType: 'image_generation' } as never })
    const error = await enqueue({ episode: foreignEpisode.id, input: { dependencies: [foreignTask.id] } }).catch((err) => err)
    expect(error.status).toBe(400)
    const paths = (error.data.errors as { path: string; message: string }[]).map((issue) => issue.path).sort()
    expect(paths).toEqual(['episode', 'input.dependencies.0'])
    expect(JSON.stringify(error.data)).not.toContain(foreign.id)

    const a = await enqueue()
    const b = await enqueue({ input: { dependencies: [a.id] } })
    const c = await enqueue({ input: { dependencies: [b.id] } })
    const self = await payload
      .update({ collection: 'tasks', id: a.id, data: { input: { dependencies: [a.id] } }, user: owner, overrideAccess: false })
      .catch((err) => err)
    expect(self.status).toBe(400)
    const cycle = await payload
      .update({ collection: 'tasks', id: a.id, data: { input: { dependencies: [c.id] } }, user: owner, overrideAccess: false })
      .catch((err) => err)
    expect(cycle.status).toBe(400)
    expect(cycle.data.errors[0].message).toContain(`${a.id} → ${c.id} → ${b.id} → ${a.id}`)
  })
})
