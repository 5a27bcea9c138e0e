import type { Payload } from 'payload'

import { createLocalReq } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { tierQuotas } from '../../../src/domain/quotas/tiers'
import { PEER_ADDRESS_HEADER } from '../../../src/lib/rateLimit'
import { slugs } from '../../../src/model/slugs'
import { fixtures } from '../../helpers/fixtures'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 19 item 5: paid work is bounded per tier (docs/ACCESS.md, "Task limits") — the highest priority and the open
 * tasks at once across the owner's projects, decided by the project owner's tier, whoever enqueues — and each
 * enqueue from outside spends the `enqueue` rate limit of the caller and of the project. Through the Local API on a
 * caller's behalf, as every path (REST, GraphQL, /api/v1, execute) runs it; over HTTP: tests/e2e/access/taskLimits.e2e.spec.ts.
 */
let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
const savedLimits = process.env.RATE_LIMITS

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('task-budgets'))
  make = fixtures(payload)
  await make.user({ role: 'admin' })
})
afterAll(async () => {
  process.env.RATE_LIMITS = savedLimits
  await cleanup?.()
})

const as = (user: any) => ({ user: { ...user, collection: 'users', _strategy: 'local-jwt' }, overrideAccess: false as const, depth: 0 })
const enqueue = (user: any, project: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) =>
  loose(payload).create({ collection: slugs.tasks, data: { project, taskType: 'video_generation', ...data }, ...as(user), ...extra })

describe('tier budgets', () => {
  it.each(['free', 'pro', 'enterprise'] as const)('%s: the priority goes up to the tier’s maxPriority (403 naming it above), on create and change', async (tier) => {
    const owner = await make.user({ subscription: { tier } })
    const collaborator = await make.user({ subscription: { tier: 'enterprise' } })
    const project = String((await make.project(owner.id, { collaborators: [collaborator.id] })).id)
    const max = tierQuotas[tier].maxPriority
    expect((await enqueue(owner, project, { priority: max })).priority).toBe(max)
    if (max < 10) {
      // The owner's tier decides, also for a collaborator on a richer tier.
      for (const who of [owner, collaborator]) {
        const refused = await enqueue(who, project, { priority: max + 1 }).catch((e: any) => e)
        expect(refused.status).toBe(403)
        expect(refused.message).toContain('maxPriority')
        expect(refused.data).toMatchObject({ limit: 'maxPriority', value: max })
      }
      const task = await enqueue(owner, project, { priority: 1 })
      const raised = await loose(payload).update({ collection: slugs.tasks, id: task.id, data: { priority: max + 1 }, ...as(owner) }).catch((e: any) => e)
      expect(raised.status).toBe(403)
    }
  })

  it('free: at most maxOpenTasks queued or processing tasks across the owner’s projects; finished ones free the budget', async () => {
    const owner = await make.user()
    const [a, b] = [String((await make.project(owner.id)).id), String((await make.project(owner.id)).id)]
    const max = tierQuotas.free.maxOpenTasks
    const made: any[] = []
    for (let i = 0; i < max; i++) made.push(await enqueue(owner, i % 2 ? a : b))
    const refused = await enqueue(owner, a).catch((e: any) => e)
    expect(refused.status).toBe(403)
    expect(refused.message).toContain('maxOpenTasks')
    expect((await payload.count({ collection: slugs.tasks, where: { project: { in: [a, b] } } })).totalDocs).toBe(max)
    // One finishes (the engine's write): room for one more.
    await payload.update({ collection: slugs.tasks, id: made[0].id, data: { status: 'cancelled' } })
    await enqueue(owner, a)
    await expect(enqueue(owner, a)).rejects.toMatchObject({ status: 403 })
  })

  it('racing creates never exceed maxOpenTasks', async () => {
    const owner = await make.user()
    const project = String((await make.project(owner.id)).id)
    const max = tierQuotas.free.maxOpenTasks
    const results = await Promise.allSettled(Array.from({ length: max + 8 }, () => enqueue(owner, project)))
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeLessThanOrEqual(max)
    expect((await payload.count({ collection: slugs.tasks, where: { project: { equals: project } } })).totalDocs).toBeLessThanOrEqual(max)
  })

  it('admins and server code are not bound', async () => {
    const owner = await make.user()
    const admin = await make.user({ role: 'admin' })
    const project = String((await make.project(owner.id)).id)
    expect((await enqueue(admin, project, { priority: 10 })).priority).toBe(10)
    expect((await payload.create({ collection: slugs.tasks, data: { project, taskType: 'image_generation', priority: 10 } as never })).priority).toBe(10)
  })
})

describe('enqueue rate limit (requests from outside)', () => {
  it('spends the caller’s and the project’s budget; over it a 429 with Retry-After, nothing stored', async () => {
    process.env.RATE_LIMITS = JSON.stringify({ enqueue: { user: { points: 3 }, project: { points: 5 }, ip: { points: 1000 } } })
    const owner = await make.user({ subscription: { tier: 'enterprise' } })
    const collaborator = await make.user()
    const project = String((await make.project(owner.id, { collaborators: [collaborator.id] })).id)
    const fromOutside = async (user: any) => ({ req: await createLocalReq({ user: as(user).user as never, req: { headers: new Headers({ [PEER_ADDRESS_HEADER]: '203.0.113.7' }) } }, payload) })
    for (let i = 0; i < 3; i++) await enqueue(owner, project, {}, await fromOutside(owner))
    const request = await fromOutside(owner)
    const limited = await enqueue(owner, project, {}, request).catch((e: any) => e)
    expect(limited.status).toBe(429)
    expect(Number(request.req.responseHeaders?.get('Retry-After'))).toBeGreaterThan(0)
    // The project's budget (5) is shared by its members: the collaborator gets two more.
    await enqueue(collaborator, project, {}, await fromOutside(collaborator))
    await enqueue(collaborator, project, {}, await fromOutside(collaborator))
    await expect(enqueue(collaborator, project, {}, await fromOutside(collaborator))).rejects.toMatchObject({ status: 429 })
    expect((await payload.count({ collection: slugs.tasks, where: { project: { equals: project } } })).totalDocs).toBe(5)
    // A stranger's attempts spend nothing of the project (they are refused as non-members).
    const stranger = await make.user()
    await expect(enqueue(stranger, project, {}, await fromOutside(stranger))).rejects.toMatchObject({ status: 403 })
  })
})
