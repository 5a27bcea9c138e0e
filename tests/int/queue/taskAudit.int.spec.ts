import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { AuditLog, Project, Task, User } from '../../../src/payload-types'

import { slugs } from '../../../src/model/slugs'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { auditLogService } from '../../../src/services/auditLogService'
import { taskService } from '../../../src/services/taskService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 25, "audit without gaps", for the task engine: one audit entry per claim, per ending of an attempt (complete,
 * fail, lease expiry, cancellation), naming the worker and the attempt, as an admin reads them through the audit-log
 * service behind GET /api/v1/audit-log; and the entries stay immutable.
 */
let payload: Payload
let cleanup: () => Promise<void>
let admin: User, owner: User, workerAccount: User
let project: Project
let clock = Date.parse('2030-09-01T00:00:00Z')
const LEASE_MS = 30_000
let queue: TaskQueue

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('taskAudit'))
  const make = fixtures(payload)
  admin = (await make.user()) as User // the first user is an admin
  owner = (await make.user()) as User
  workerAccount = (await make.user({ enableAPIKey: true, apiKey: `key-${Date.now()}-audit-aaaaaaaaaaaaaaaa` })) as User
  project = (await make.project(owner.id)) as Project
  queue = createTaskQueue({
    payload,
    now: () => new Date(clock),
    leaseMs: LEASE_MS,
    retryPolicies: { image_generation: { maxRetries: 3, baseDelayMs: 0, maxDelayMs: 0, jitter: 0 } },
  })
})
afterAll(async () => cleanup?.())

const enqueue = async () =>
  (await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation' } as never, user: owner, overrideAccess: false })) as Task

/** The engine's entries of one task, oldest first, as the admin lists them. */
async function engineEntries(taskId: string) {
  const page = await auditLogService.list({ actor: { payload, user: admin }, collectionSlug: slugs.tasks, documentId: taskId, limit: 50 })
  return (page.docs as AuditLog[])
    .filter((entry) => entry.operation.startsWith('task-'))
    .reverse()
    .map(({ operation, workerId, attempt, user, authMethod }) => ({ operation, workerId, attempt, user: user ?? null, authMethod }))
}

const holder = () => String(workerAccount.id)

describe('the task engine in the audit log', () => {
  it('records a claim and its completion with the worker, the attempt and the worker’s account', async () => {
    const task = await enqueue()
    expect((await queue.claim({ workerId: 'render-1', holder: holder() }))?.task.id).toBe(task.id)
    await queue.complete({ taskId: task.id, attempt: 1, workerId: 'render-1', holder: holder() })
    expect(await engineEntries(task.id)).toEqual([
      { operation: 'task-claim', workerId: 'render-1', attempt: 1, user: holder(), authMethod: 'api-key' },
      { operation: 'task-complete', workerId: 'render-1', attempt: 1, user: holder(), authMethod: 'api-key' },
    ])
    // A refused second result writes nothing.
    await expect(queue.complete({ taskId: task.id, attempt: 1, workerId: 'render-1', holder: holder() })).rejects.toMatchObject({ status: 409 })
    expect(await engineEntries(task.id)).toHaveLength(2)
  })

  it('records a failure and a lease expiry (by the system), then the next attempt’s claim', async () => {
    const task = await enqueue()
    await queue.claim({ workerId: 'render-1', holder: holder() })
    await queue.fail({ taskId: task.id, attempt: 1, workerId: 'render-1', holder: holder(), error: { code: 'UPSTREAM', message: 'busy' } })
    await queue.claim({ workerId: 'render-2', holder: holder() })
    clock += LEASE_MS + 1
    expect(await queue.reapExpired()).toBe(1)
    await queue.claim({ workerId: 'render-3', holder: holder() })
    expect(await engineEntries(task.id)).toEqual([
      { operation: 'task-claim', workerId: 'render-1', attempt: 1, user: holder(), authMethod: 'api-key' },
      { operation: 'task-fail', workerId: 'render-1', attempt: 1, user: holder(), authMethod: 'api-key' },
      { operation: 'task-claim', workerId: 'render-2', attempt: 2, user: holder(), authMethod: 'api-key' },
      { operation: 'task-expire', workerId: 'render-2', attempt: 2, user: null, authMethod: 'system' },
      { operation: 'task-claim', workerId: 'render-3', attempt: 3, user: holder(), authMethod: 'api-key' },
    ])
  })

  it('records a cancellation by the member who asked: a queued task at once, a processing one at its heartbeat', async () => {
    const queued = await enqueue()
    await taskService.cancel({ actor: { payload, user: owner }, id: queued.id, reason: 'not needed' })
    expect(await engineEntries(queued.id)).toEqual([{ operation: 'task-cancel', workerId: 'cancellation', attempt: 1, user: owner.id, authMethod: 'session' }])

    const running = await enqueue()
    await queue.claim({ workerId: 'render-1', holder: holder() })
    await taskService.cancel({ actor: { payload, user: owner }, id: running.id })
    expect(await queue.heartbeat({ taskId: running.id, attempt: 1, workerId: 'render-1', holder: holder() })).toMatchObject({ cancelRequested: true })
    expect(await engineEntries(running.id)).toEqual([
      { operation: 'task-claim', workerId: 'render-1', attempt: 1, user: holder(), authMethod: 'api-key' },
      { operation: 'task-cancel', workerId: 'render-1', attempt: 1, user: owner.id, authMethod: 'session' },
    ])
  })

  it('keeps the entries immutable, even for an admin', async () => {
    const task = await enqueue()
    await queue.claim({ workerId: 'render-1', holder: holder() })
    const entry = (await payload.find({ collection: slugs.auditLog, where: { documentId: { equals: task.id }, operation: { equals: 'task-claim' } }, depth: 0 })).docs[0]
    expect(entry).toBeDefined()
    const asAdmin = { user: { ...admin, collection: 'users' }, overrideAccess: false as const }
    await expect(payload.update({ collection: slugs.auditLog, id: entry.id, data: { attempt: 9 } as never, ...asAdmin })).rejects.toMatchObject({ status: 403 })
    await expect(payload.delete({ collection: slugs.auditLog, id: entry.id, ...asAdmin })).rejects.toMatchObject({ status: 403 })
  })
})
