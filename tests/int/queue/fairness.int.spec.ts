import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { candidateTuning } from '../../../src/queue/claimCandidates'
import { queueCollections } from '../../../src/queue/queueStore'
import { createTaskQueue } from '../../../src/queue/taskQueue'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 19 item 5: one tenant flooding the shared queue (more tasks than a candidate read holds, at the top
 * priority) does not starve another: the other project's task is claimed within a bounded number of claims
 * (two: the flood's oldest, then the project not served yet), and each task is still claimed once.
 */
let payload: Payload
let cleanup: () => Promise<void>
let flood: string, quiet: string, third: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('queue-fairness'))
  const make = fixtures(payload)
  const owner = await make.user()
  flood = String((await make.project(owner.id)).id)
  quiet = String((await make.project(owner.id)).id)
  third = String((await make.project(owner.id)).id)
})
afterAll(async () => cleanup?.())

async function emptyQueue() {
  const db = queueCollections(payload)
  await Promise.all([db.tasks.deleteMany({}), db.leases.deleteMany({}), db.settlements.deleteMany({}), db.cancelRequests.deleteMany({})])
}

/** Tasks straight into the collection (a flood bigger than any read), oldest first. */
async function insert(project: string, count: number, priority: number, startAt: number) {
  const { Types } = await import('mongoose')
  const docs = Array.from({ length: count }, (_, i) => ({
    _id: new Types.ObjectId(),
    taskType: 'image_generation',
    project: new Types.ObjectId(project),
    status: 'queued',
    priority,
    input: { dependencies: [] },
    createdAt: new Date(startAt + i),
    updatedAt: new Date(startAt + i),
  }))
  await queueCollections(payload).tasks.insertMany(docs)
  return docs.map((doc) => String(doc._id))
}

describe('fair claim order across projects', () => {
  it('serves a quiet project within two claims while another floods the queue at the top priority', async () => {
    await emptyQueue()
    const batch = Math.max(candidateTuning.mongodb.batch, candidateTuning.ferretdb.batch)
    const base = Date.parse('2030-01-01T00:00:00Z')
    await insert(flood, batch * 2 + 10, 10, base)
    const [quietTask] = await insert(quiet, 1, 1, base + 1_000_000)
    const queue = createTaskQueue({ payload })
    const claimed: string[] = []
    for (let i = 0; i < 2; i++) claimed.push(String((await queue.claim({ workerId: `w${i}` }))!.task.id))
    expect(claimed).toContain(quietTask)
  })

  it('takes projects in turn (least recently served first), each project in its own priority order, no task twice', async () => {
    await emptyQueue()
    const base = Date.parse('2030-02-01T00:00:00Z')
    const floodTasks = await insert(flood, 30, 10, base)
    const quietTasks = await insert(quiet, 3, 2, base + 100)
    const thirdTasks = await insert(third, 3, 5, base + 200)
    const queue = createTaskQueue({ payload })
    const order: string[] = []
    const projectOf = (id: string) => (floodTasks.includes(id) ? 'flood' : quietTasks.includes(id) ? 'quiet' : thirdTasks.includes(id) ? 'third' : '?')
    for (let i = 0; i < 9; i++) order.push(String((await queue.claim({ workerId: 'w' }))!.task.id))
    expect(new Set(order).size).toBe(order.length)
    // Each window of three claims serves each project once.
    for (let i = 0; i < 9; i += 3) expect(new Set(order.slice(i, i + 3).map(projectOf))).toEqual(new Set(['flood', 'quiet', 'third']))
    // Within a project, its queue order.
    expect(order.filter((id) => projectOf(id) === 'quiet')).toEqual(quietTasks)
    expect(order.filter((id) => projectOf(id) === 'flood')).toEqual(floodTasks.slice(0, 3))
    const leases = await queueCollections(payload).leases.countDocuments({})
    expect(leases).toBe(9)
  })

  it('many concurrent claimants over a flooded queue: every claim a different task, the quiet project served early', async () => {
    await emptyQueue()
    const base = Date.parse('2030-03-01T00:00:00Z')
    await insert(flood, 200, 10, base)
    const [quietTask] = await insert(quiet, 1, 1, base + 10_000)
    const queues = Array.from({ length: 4 }, () => createTaskQueue({ payload }))
    const claims = (await Promise.all(queues.flatMap((queue, q) => [0, 1].map((i) => queue.claim({ workerId: `q${q}-${i}` }))))).map((c) => String(c!.task.id))
    expect(new Set(claims).size).toBe(claims.length)
    expect(claims).toContain(quietTask)
  })
})
