import type { Payload } from 'payload'

import { Types } from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { ConflictError } from '../../../src/errors'
import { queueCollections } from '../../../src/queue/queueStore'
import { archiveTasks } from '../../../src/queue/taskArchive'
import { createTaskQueue } from '../../../src/queue/taskQueue'
import { projectService } from '../../../src/services/projectService'
import { taskService } from '../../../src/services/taskService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The deletion policy for finished tasks, as a producer meets it: open tasks still block deleting the episode and
 * the project (409 naming them); once they are cancelled, the deletes go through and every finished task is in
 * tasks_archive with its reason. The overview counts archived tasks' cost.
 */
let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
let owner: User
const as = (user: User) => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('task_archive'))
  make = fixtures(payload)
  await make.user() // the first user is an admin
  owner = (await make.user({ subscription: { tier: 'enterprise' } })) as User
})
afterAll(async () => cleanup?.())

const finish = async (taskId: string, status: 'completed' | 'failed', cost: number) =>
  // The engine's own write (through the driver): a finished task with its metrics, as a worker leaves it.
  payload.db.collections.tasks.collection.updateOne(
    { _id: new Types.ObjectId(taskId) },
    { $set: { status, completedAt: new Date(), output: { metrics: { cost, tokensUsed: 10, processingTime: 1 } } } },
  )

describe('deleting a project with finished tasks', () => {
  it('is refused while a task is open, then archives the finished ones and deletes', async () => {
    const project = await make.project(owner.id)
    const episode = await make.episode(project.id, 1)
    const enqueue = (data: Record<string, unknown>) =>
      taskService.create({ actor: as(owner), data: { project: project.id, taskType: 'image_generation', ...data } as never })
    const ofEpisode = await enqueue({ episode: episode.id })
    const done = await enqueue({})
    const failed = await enqueue({})
    const open = await enqueue({})
    await finish(ofEpisode.id, 'completed', 0.5)
    await finish(done.id, 'completed', 1)
    await finish(failed.id, 'failed', 0.25)

    const refused = await payload.delete({ collection: 'projects', id: project.id, user: owner, overrideAccess: false }).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ConflictError)
    expect((refused as ConflictError).details).toMatchObject({ children: { episodes: 1, 'open tasks': 1 } })

    // The episode goes first; its finished task moves to the archive, the project's stay live for now.
    await payload.delete({ collection: 'episodes', id: episode.id, user: owner, overrideAccess: false })
    const archive = payload.db.connection.db!.collection('tasks_archive')
    expect(await archive.findOne({ _id: new Types.ObjectId(ofEpisode.id) })).toMatchObject({ archiveReason: 'episode-deleted', status: 'completed' })
    const overview = await projectService.getOverview({ actor: as(owner), projectId: project.id })
    expect(overview.usage.total).toMatchObject({ tasks: 4, cost: 1.75 })

    await taskService.cancel({ actor: as(owner), id: open.id, reason: 'closing the project' })
    await payload.delete({ collection: 'projects', id: project.id, user: owner, overrideAccess: false })
    const live = await payload.db.collections.tasks.collection.countDocuments({ project: new Types.ObjectId(project.id) })
    expect(live).toBe(0)
    const archived = await archive.find({ project: new Types.ObjectId(project.id) }).toArray()
    expect(archived.map((task) => [String(task._id), task.status, task.archiveReason]).sort()).toEqual(
      [
        [ofEpisode.id, 'completed', 'episode-deleted'],
        [done.id, 'completed', 'project-deleted'],
        [failed.id, 'failed', 'project-deleted'],
        [open.id, 'cancelled', 'project-deleted'],
      ].sort(),
    )
  })
})

describe('archiving tasks the engine ran', () => {
  it('deletes their leases, settlements and cancel requests, keeps their attempts in the copy, and leaves open tasks alone', async () => {
    const project = await make.project(owner.id)
    const queue = createTaskQueue({ payload, retryPolicies: { image_generation: { maxRetries: 1, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 } } })
    const enqueue = (priority: number) =>
      taskService.create({ actor: as(owner), data: { project: project.id, taskType: 'image_generation', priority } as never })
    const retried = await enqueue(10)
    const cancelledWhileRunning = await enqueue(9)
    const cancelledQueued = await enqueue(8)
    const open = await enqueue(1)

    // `retried` fails once, is claimed again and completes: two attempts.
    expect((await queue.claim({ workerId: 'w1' }))?.task.id).toBe(retried.id)
    await queue.fail({ taskId: retried.id, attempt: 1, workerId: 'w1', error: { code: 'UPSTREAM_503', message: 'busy' } })
    expect((await queue.claim({ workerId: 'w2' }))?.task.id).toBe(retried.id)
    await queue.complete({ taskId: retried.id, attempt: 2, workerId: 'w2', output: { metrics: { cost: 0.5, tokensUsed: 5 } } })
    // Cancelled at its holder's heartbeat (a cancel request, then a settlement), and cancelled while queued.
    expect((await queue.claim({ workerId: 'w3' }))?.task.id).toBe(cancelledWhileRunning.id)
    await queue.cancel({ taskId: cancelledWhileRunning.id, reason: 'not needed' })
    expect(await queue.heartbeat({ taskId: cancelledWhileRunning.id, attempt: 1, workerId: 'w3' })).toMatchObject({ cancelRequested: true })
    await queue.cancel({ taskId: cancelledQueued.id, reason: 'not needed either' })
    // `open` is being worked on: its lease must survive the archive run.
    expect((await queue.claim({ workerId: 'w4' }))?.task.id).toBe(open.id)

    const engine = queueCollections(payload)
    const finished = [retried, cancelledWhileRunning, cancelledQueued].map((task) => new Types.ObjectId(task.id))
    expect(await engine.leases.countDocuments({ task: { $in: finished } })).toBe(4)
    expect(await engine.settlements.countDocuments({ task: { $in: finished } })).toBe(4)
    expect(await engine.cancelRequests.countDocuments({ _id: { $in: [cancelledWhileRunning.id, cancelledQueued.id] } })).toBe(2)

    const result = await archiveTasks({ db: payload.db.connection.db!, filter: { project: new Types.ObjectId(project.id) }, reason: 'retention' })
    expect(result).toEqual({ archived: 3, keptForDependants: 0 })
    expect(await engine.leases.countDocuments({ task: { $in: finished } })).toBe(0)
    expect(await engine.settlements.countDocuments({ task: { $in: finished } })).toBe(0)
    expect(await engine.cancelRequests.countDocuments({ _id: { $in: [cancelledWhileRunning.id, cancelledQueued.id] } })).toBe(0)
    expect(await engine.leases.countDocuments({ task: new Types.ObjectId(open.id) })).toBe(1)

    const archive = payload.db.connection.db!.collection('tasks_archive')
    const copyOf = async (id: string) => archive.findOne({ _id: new Types.ObjectId(id) })
    expect((await copyOf(retried.id))?.attempts).toMatchObject([
      { attempt: 1, workerId: 'w1', outcome: 'failed', next: 'queued', retryCount: 1, error: { code: 'UPSTREAM_503' } },
      { attempt: 2, workerId: 'w2', outcome: 'completed', next: 'completed' },
    ])
    expect((await copyOf(cancelledWhileRunning.id))?.attempts).toMatchObject([
      { attempt: 1, workerId: 'w3', outcome: 'cancelled', next: 'cancelled', error: { message: 'not needed' } },
    ])
    expect((await copyOf(cancelledQueued.id))?.attempts).toMatchObject([
      { attempt: 1, workerId: 'cancellation', outcome: 'cancelled', error: { message: 'not needed either' } },
    ])
    // The open task stays live and its holder finishes it as usual.
    expect((await queue.complete({ taskId: open.id, attempt: 1, workerId: 'w4' })).status).toBe('completed')
  })
})
