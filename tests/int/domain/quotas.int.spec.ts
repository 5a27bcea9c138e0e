import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { resolveQuotas, tierQuotas } from '../../../src/domain/quotas/tiers'
import { slugs } from '../../../src/model/slugs'
import { createTestPayload } from '../../helpers/payload'
import { loose } from '../../helpers/loose'

let payload: Payload
let cleanup: () => Promise<void>
let admin: any
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('quotas'))
  admin = await loose(payload).create({ collection: slugs.users, data: { email: 'admin@example.test', password: 'Passw0rd!secret', role: 'admin' } as never })
})
afterAll(async () => cleanup?.())

const as = (user: any) => ({ user: { ...user, collection: 'users', _strategy: 'local-jwt' }, overrideAccess: false as const, depth: 0 })
const makeUser = (email: string, subscription?: Record<string, unknown>) =>
  loose(payload).create({ collection: slugs.users, data: { email, password: 'Passw0rd!secret', ...(subscription ? { subscription } : {}) } as never })
const newProject = (user: any, extra: Record<string, unknown> = {}) =>
  loose(payload).create({ collection: slugs.projects, data: { title: `P ${Math.random()}`, episodeCount: 20, ...extra } as never, ...as(user) })

describe('tier defaults', () => {
  it('come from one table and per-user values override them', () => {
    expect(resolveQuotas({ subscription: { tier: 'free' } })).toEqual(tierQuotas.free)
    expect(resolveQuotas({ subscription: { tier: 'pro', maxProjects: 2 } }).maxProjects).toBe(2)
    expect(resolveQuotas({ subscription: { tier: 'pro', maxProjects: 2 } }).maxEpisodesPerProject).toBe(tierQuotas.pro.maxEpisodesPerProject)
    expect(resolveQuotas(null)).toEqual(tierQuotas.free)
  })
})

describe('maxProjects', () => {
  it('refuses the project after the free tier’s limit with 403 naming the limit, and stores nothing', async () => {
    const user = await makeUser('free@example.test')
    for (let i = 0; i < tierQuotas.free.maxProjects; i++) await newProject(user)
    const refused = await newProject(user, { title: 'One too many' }).catch((error) => error)
    expect(refused.status).toBe(403)
    expect(refused.message).toContain('maxProjects')
    expect(refused.data).toMatchObject({ limit: 'maxProjects', value: tierQuotas.free.maxProjects })
    expect((await payload.count({ collection: slugs.projects, where: { createdBy: { equals: user.id } } })).totalDocs).toBe(tierQuotas.free.maxProjects)
    expect((await payload.count({ collection: slugs.projects, where: { title: { equals: 'One too many' } } })).totalDocs).toBe(0)
    expect((await payload.count({ collection: slugs.auditLog, where: { and: [{ collectionSlug: { equals: 'projects' } }, { user: { equals: user.id } }] } })).totalDocs).toBe(
      tierQuotas.free.maxProjects,
    )
  })

  it('honours a per-user override set by an admin, and does not bind admins', async () => {
    const user = await makeUser('override@example.test', { tier: 'free', maxProjects: 1 })
    await newProject(user)
    await expect(newProject(user)).rejects.toMatchObject({ status: 403 })
    for (let i = 0; i < tierQuotas.free.maxProjects + 1; i++) await newProject(admin)
  })
})

describe('maxEpisodesPerProject', () => {
  it('refuses the episode beyond the owner’s limit, for collaborators too', async () => {
    const owner = await makeUser('episodes@example.test', { tier: 'free', maxEpisodesPerProject: 2 })
    const collaborator = await makeUser('helper@example.test', { tier: 'enterprise' })
    const project = await newProject(owner)
    // Members join through invitations (an owner cannot add one by id); an admin may, which is the shortest set-up.
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [collaborator.id] } as never, ...as(admin) })
    const episode = (user: any, n: number) =>
      loose(payload).create({ collection: slugs.episodes, data: { project: project.id, episodeNumber: n, title: `E${n}` }, ...as(user) })
    await episode(owner, 1)
    await episode(collaborator, 2)
    const refused = await episode(collaborator, 3).catch((error) => error)
    expect(refused.status).toBe(403)
    expect(refused.message).toContain('maxEpisodesPerProject')
    expect((await payload.count({ collection: slugs.episodes, where: { project: { equals: project.id } } })).totalDocs).toBe(2)
  })
})

describe('features', () => {
  it('gates qualityTier premium behind premium-quality, on create and update', async () => {
    const free = await makeUser('nopremium@example.test')
    const refused = await newProject(free, { projectSettings: { qualityTier: 'premium' } }).catch((error) => error)
    expect(refused.status).toBe(403)
    expect(refused.message).toContain('features')
    const project = await newProject(free, { projectSettings: { qualityTier: 'standard' } })
    await expect(
      loose(payload).update({ collection: slugs.projects, id: project.id, data: { projectSettings: { qualityTier: 'premium' } } as never, ...as(free) }),
    ).rejects.toMatchObject({ status: 403 })
    const stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect(stored.projectSettings?.qualityTier).toBe('standard')

    const pro = await makeUser('pro@example.test', { tier: 'pro' })
    const premium = await newProject(pro, { projectSettings: { qualityTier: 'premium' } })
    expect(premium.projectSettings?.qualityTier).toBe('premium')
  })
})

describe('concurrent creates (no transactions on FerretDB)', () => {
  it('keep exactly maxProjects projects, and every refused create answers 403', async () => {
    const user = await makeUser('racer@example.test')
    const results = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => newProject(user, { title: `Race ${i}` })))
    const refused = results.filter((result) => result.status === 'rejected')
    expect(refused.every((result) => (result as PromiseRejectedResult).reason.status === 403)).toBe(true)
    const stored = await payload.count({ collection: slugs.projects, where: { createdBy: { equals: user.id } } })
    const accepted = results.length - refused.length
    // The re-check keeps exactly the first maxProjects creates and refuses the rest.
    expect(stored.totalDocs).toBe(tierQuotas.free.maxProjects)
    expect(stored.totalDocs).toBe(accepted)
  })
})
