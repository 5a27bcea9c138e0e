import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { changedFieldPaths } from '../../../src/hooks/audit/changedFieldPaths'
import { slugs } from '../../../src/model/slugs'
import { pngFile } from '../../helpers/files'
import { createTestPayload } from '../../helpers/payload'
import { loose } from '../../helpers/loose'

let payload: Payload
let cleanup: () => Promise<void>
let admin: any
let owner: any
let project: any
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('audit-log'))
  admin = await loose(payload).create({ collection: slugs.users, data: { email: 'admin@example.test', password: 'Passw0rd!secret', role: 'admin' } as never })
  owner = await loose(payload).create({ collection: slugs.users, data: { email: 'owner@example.test', password: 'Passw0rd!secret', subscription: { tier: 'pro' } } as never })
  project = await loose(payload).create({ collection: slugs.projects, data: { title: 'Audited', episodeCount: 5, createdBy: owner.id } })
})
afterAll(async () => {
  const media = await payload?.find({ collection: slugs.media, pagination: false, depth: 0 })
  for (const doc of media?.docs ?? []) await payload.delete({ collection: slugs.media, id: doc.id })
  await cleanup?.()
})

const as = (user: any, strategy = 'local-jwt') => ({ user: { ...user, collection: 'users', _strategy: strategy }, overrideAccess: false as const, depth: 0 })
const entriesFor = async (collection: string, documentId: string) =>
  (await payload.find({ collection: slugs.auditLog, where: { and: [{ collectionSlug: { equals: collection } }, { documentId: { equals: documentId } }] }, sort: 'createdAt', pagination: false, depth: 0 })).docs

// One create, update and delete per collection, done by the owner (or the admin where only admins may).
const cases: { slug: string; actor: () => any; data: () => Promise<Record<string, unknown>>; change: Record<string, unknown>; path: string; file?: boolean }[] = [
  { slug: slugs.projects, actor: () => owner, data: async () => ({ title: 'Second', episodeCount: 2 }), change: { description: 'new' }, path: 'description' },
  { slug: slugs.episodes, actor: () => owner, data: async () => ({ project: project.id, episodeNumber: 1, title: 'E1' }), change: { title: 'Renamed' }, path: 'title' },
  { slug: slugs.characters, actor: () => owner, data: async () => ({ project: project.id, name: 'Hero' }), change: { profile: { age: '30' } }, path: 'profile.age' },
  { slug: slugs.scenes, actor: () => owner, data: async () => {
      const episode = await loose(payload).create({ collection: slugs.episodes, data: { project: project.id, episodeNumber: 2, title: 'E2' } })
      return { project: project.id, episode: episode.id, sceneNumber: 1 }
    }, change: { mood: 'tense' }, path: 'mood' },
  { slug: slugs.media, actor: () => owner, data: async () => ({ project: project.id, mediaType: 'concept_art' }), change: { alt: 'described' }, path: 'alt', file: true },
  { slug: slugs.tasks, actor: () => owner, data: async () => ({ project: project.id, taskType: 'image_generation' }), change: { priority: 3 }, path: 'priority' },
  { slug: slugs.sessions, actor: () => owner, data: async () => ({ project: project.id }), change: { currentStep: 'casting' }, path: 'currentStep' },
  { slug: slugs.promptTemplates, actor: () => admin, data: async () => ({ name: 'tpl', template: 'Hi' }), change: { notes: 'tuned' }, path: 'notes' },
  { slug: slugs.promptsExecuted, actor: () => admin, data: async () => ({ projectId: String(project.id), status: 'success' }), change: {}, path: '' },
  { slug: slugs.users, actor: () => admin, data: async () => ({ email: 'someone@example.test', password: 'Passw0rd!secret' }), change: { name: 'Someone' }, path: 'name' },
]

describe('every collection', () => {
  it.each(cases.map((c) => [c.slug, c]))('%s: create, update and delete are audited with who and which paths', async (_slug, c) => {
    const actor = c.actor()
    const created: any = await loose(payload).create({
      collection: c.slug as never,
      data: (await c.data()) as never,
      ...(c.file ? { file: await pngFile(8, 8, `audit-${Date.now()}.png`) } : {}),
      ...as(actor),
    })
    const id = String(created.id)
    if (c.path) await loose(payload).update({ collection: c.slug as never, id, data: c.change as never, ...as(actor) })
    await payload.delete({ collection: c.slug as never, id, ...as(admin) })

    const entries = await entriesFor(c.slug, id)
    expect(entries.map((entry) => entry.operation)).toEqual(c.path ? ['create', 'update', 'delete'] : ['create', 'delete'])
    expect(String(entries[0]!.user)).toBe(String(actor.id))
    expect(entries[0]!.authMethod).toBe('session')
    expect(entries[0]!.userEmail).toBe(actor.email)
    expect(entries[0]!.changedFields!.length).toBeGreaterThan(0)
    if (c.path) expect(entries[1]!.changedFields).toEqual([c.path])
    expect(String(entries.at(-1)!.user)).toBe(String(admin.id))
  })
})

describe('secrets and immutability', () => {
  it('records a password change by path only', async () => {
    await loose(payload).update({ collection: slugs.users, id: owner.id, data: { password: 'An0ther!secret', currentPassword: 'Passw0rd!secret' } as never, ...as(owner) })
    const [entry] = (await entriesFor(slugs.users, String(owner.id))).filter((e) => e.operation === 'update')
    expect(entry!.changedFields).toEqual(['password'])
    const raw = JSON.stringify(await payload.find({ collection: slugs.auditLog, pagination: false }))
    expect(raw).not.toContain('An0ther!secret')
    expect(raw).not.toContain('Passw0rd!secret')
  })

  it('credits an API-key request to the key’s owner', async () => {
    const worker = await loose(payload).create({ collection: slugs.users, data: { email: 'bot@example.test', password: 'Passw0rd!secret', enableAPIKey: true, apiKey: 'bot-key-0000000000001' } as never })
    const task = await loose(payload).create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation' } })
    // A worker changes no task through the API (the engine does, docs/QUEUE.md); what it writes is a result's media.
    await payload.update({ collection: slugs.tasks, id: task.id, data: { status: 'processing' } })
    const media = await loose(payload).create({
      collection: slugs.media,
      data: { project: project.id, mediaType: 'concept_art', agentGenerated: true, generationMetadata: { taskId: String(task.id) } } as never,
      file: await pngFile(8, 8, `bot-${Date.now()}.png`),
      ...as(worker, 'api-key'),
    })
    const created = (await entriesFor(slugs.media, String(media.id))).find((e) => e.operation === 'create')!
    expect(created.authMethod).toBe('api-key')
    expect(String(created.user)).toBe(String(worker.id))
  })

  it('is read by admins only and cannot be changed or deleted by anyone', async () => {
    const [entry] = await entriesFor(slugs.projects, String(project.id))
    await expect(payload.find({ collection: slugs.auditLog, ...as(owner) })).rejects.toMatchObject({ status: 403 })
    expect((await payload.find({ collection: slugs.auditLog, ...as(admin) })).totalDocs).toBeGreaterThan(0)
    await expect(loose(payload).update({ collection: slugs.auditLog, id: entry!.id, data: { ip: 'forged' } as never, ...as(admin) })).rejects.toMatchObject({ status: 403 })
    await expect(payload.delete({ collection: slugs.auditLog, id: entry!.id, ...as(admin) })).rejects.toMatchObject({ status: 403 })
    await expect(loose(payload).create({ collection: slugs.auditLog, data: { operation: 'create', collectionSlug: 'x' } as never, ...as(admin) })).rejects.toMatchObject({ status: 403 })
    expect((await payload.findByID({ collection: slugs.auditLog, id: entry!.id })).ip ?? null).toBeNull()
  })
})

describe('changedFieldPaths', () => {
  it('walks groups, compares arrays whole and populated relations by id', () => {
    expect(
      changedFieldPaths({
        before: { a: 1, g: { x: 1, y: [1, 2] }, rel: 'u1', updatedAt: 'then', hash: 'h1' },
        after: { a: 1, g: { x: 2, y: [1, 2] }, rel: { id: 'u1', createdAt: 'x' }, updatedAt: 'now', hash: 'h2', added: 'v' },
      }),
    ).toEqual(['added', 'g.x'])
  })
})
