import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Project, Task, User } from '../../../src/payload-types'

import { queueCollections } from '../../../src/queue/queueStore'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, items 6 and 7, on the test database: a claim that crashes between its lease insert and its task write
 * (forced through the engine's test seam) no longer leaves the task queued for ever, and a worker slot that lost its
 * attempt cannot renew or settle the next attempt of the same task, even under the same worker id.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
let project: Project
let clock = Date.parse('2030-06-01T00:00:00Z')
const now = () => new Date(clock)
const LEASE_MS = 30_000
const options = { now, random: () => 0.5, leaseMs: LEASE_MS, retryPolicies: { image_generation: { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 } } }
let queue: TaskQueue

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('attemptSafety'))
  const make = fixtures(payload)
  owner = (await make.user()) as User
  project = (await make.project(owner.id)) as Project
  queue = createTaskQueue({ payload, ...options })
})
afterAll(async () => cleanup?.())

async function emptyQueue() {
  await payload.db.collections.tasks.collection.deleteMany({})
  const db = queueCollections(payload)
  await Promise.all([db.leases.deleteMany({}), db.settlements.deleteMany({}), db.cancelRequests.deleteMany({})])
}

const enqueue = async () =>
  (await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation' } as never, user: owner, overrideAccess: false })) as Task
const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task

/** An engine whose next claim dies right after its lease insert, before the task write (a crash, or a failed write). */
function crashingQueue() {
  return createTaskQueue({
    payload,
    ...options,
    testSeams: {
      afterClaimLeaseInsert: () => {
        throw new Error('crashed after the lease insert')
      },
    },
  })
}

describe('a claim that crashed after its lease insert', () => {
  it('leaves the task claimable again once that lease expired (the next claim that loses to it repairs it)', async () => {
    await emptyQueue()
    const task = await enqueue()
    await expect(crashingQueue().claim({ workerId: 'crashed' })).rejects.toThrow('crashed after the lease insert')
    expect(await read(task.id)).toMatchObject({ status: 'queued' })
    expect(await queueCollections(payload).leases.countDocuments({ _id: `${task.id}:1` })).toBe(1)
    // While that lease could still be live, claims lose to it.
    expect(await queue.claim({ workerId: 'w1' })).toBeNull()
    clock += LEASE_MS + 1
    // A claim loses to the expired lease and repairs the task; the next claim (or the same one) takes attempt 2.
    const claimed = (await queue.claim({ workerId: 'w1' })) ?? (await queue.claim({ workerId: 'w1' }))
    expect(claimed).toMatchObject({ attempt: 2, task: { id: task.id, status: 'processing' } })
    const expired = await queueCollections(payload).settlements.findOne({ _id: `${task.id}:1` })
    expect(expired).toMatchObject({ outcome: 'expired', workerId: 'crashed', next: 'queued' })
    expect((await queue.complete({ taskId: task.id, attempt: 2, workerId: 'w1' })).status).toBe('completed')
  })

  it('can be cancelled: at once when that lease expired, otherwise shown as processing until it expires', async () => {
    await emptyQueue()
    const expiredFirst = await enqueue()
    await expect(crashingQueue().claim({ workerId: 'crashed' })).rejects.toThrow()
    clock += LEASE_MS + 1
    const { task } = await queue.cancel({ taskId: expiredFirst.id, reason: 'not needed' })
    expect(task.status).toBe('cancelled')

    await emptyQueue()
    const live = await enqueue()
    await expect(crashingQueue().claim({ workerId: 'crashed' })).rejects.toThrow()
    // The lease is still live: the cancellation is recorded and the task shows what its lease says, so the reaper
    // (which sweeps processing tasks) ends it when the lease runs out.
    expect((await queue.cancel({ taskId: live.id, reason: 'not needed' })).task.status).toBe('processing')
    clock += LEASE_MS + 1
    expect(await queue.reapExpired()).toBe(1)
    expect(await read(live.id)).toMatchObject({ status: 'cancelled' })
  })
})

describe('a worker slot that lost its attempt', () => {
  it('cannot renew, complete or fail the next attempt, even with the same worker id (409), and leaves it untouched', async () => {
    await emptyQueue()
    const task = await enqueue()
    expect((await queue.claim({ workerId: 'worker-a' }))?.attempt).toBe(1)
    clock += LEASE_MS + 1
    expect(await queue.reapExpired()).toBe(1)
    // A sibling slot of the same worker takes the task again.
    const again = await queue.claim({ workerId: 'worker-a' })
    expect(again?.attempt).toBe(2)
    const engine = queueCollections(payload)
    const before = await engine.leases.findOne({ _id: `${task.id}:2` })

    clock += 1_000
    await expect(queue.heartbeat({ taskId: task.id, attempt: 1, workerId: 'worker-a', progress: { percentage: 90 } })).rejects.toMatchObject({ status: 409 })
    await expect(queue.complete({ taskId: task.id, attempt: 1, workerId: 'worker-a', output: { result: { stale: true } } })).rejects.toMatchObject({
      status: 409,
    })
    await expect(queue.fail({ taskId: task.id, attempt: 1, workerId: 'worker-a', error: { code: 'STALE', message: 'stale' } })).rejects.toMatchObject({
      status: 409,
    })
    // Attempt 2 is as its claim left it: same lease, no settlement, the task processing at attempt 2 without the stale progress.
    expect(await engine.leases.findOne({ _id: `${task.id}:2` })).toEqual(before)
    expect(await engine.settlements.findOne({ _id: `${task.id}:2` })).toBeNull()
    expect(await read(task.id)).toMatchObject({ status: 'processing', lease: { attempt: 2 }, progress: { percentage: 0 } })
    // Its own slot finishes it.
    expect((await queue.complete({ taskId: task.id, attempt: 2, workerId: 'worker-a' })).status).toBe('completed')
  })
})
