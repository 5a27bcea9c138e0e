import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { accessPolicy } from '../../../src/access/policy'
import { rejection } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Payload's own collections have explicit rules (issue 9 item 5): nobody locks another person's document or lists
 * who edits what; preferences and migrations are not open to every signed-in caller.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: any, stranger: any, worker: any, projectId: string, lockId: string
const local = () => payload as any
const person = (user: any, strategy = 'local-jwt') => ({ ...user, collection: 'users', _strategy: strategy })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('internal-collections'))
  const f = fixtures(payload)
  await f.user({ role: 'admin' })
  owner = person(await f.user())
  stranger = person(await f.user())
  worker = person(await f.user(), 'api-key')
  projectId = String((await f.project(owner.id)).id)
  // The admin locks a document through the database adapter, as Payload's form state does.
  const lock = await payload.db.create({
    collection: 'payload-locked-documents',
    data: { document: { relationTo: 'projects', value: projectId }, user: { relationTo: 'users', value: owner.id } },
  })
  lockId = String(lock.id)
})
afterAll(async () => cleanup?.())

it('every collection of the running config, Payload\'s own included, has a row in the access policy', () => {
  expect(payload.config.collections.map((collection) => collection.slug).sort()).toEqual(Object.keys(accessPolicy).sort())
})

describe('payload-locked-documents', () => {
  it.each([
    ['stranger', () => stranger],
    ['worker', () => worker],
    ['owner', () => owner],
  ])('the %s cannot create a lock through the API', async (_who, user) => {
    const error = await rejection(
      local().create({
        collection: 'payload-locked-documents',
        data: { document: { relationTo: 'projects', value: projectId }, user: { relationTo: 'users', value: user().id } },
        user: user(),
        overrideAccess: false,
      }),
    )
    expect(error.status).toBe(403)
  })

  it("a stranger neither lists, reads, takes over nor deletes another person's lock", async () => {
    const as = { user: stranger, overrideAccess: false }
    expect((await local().find({ collection: 'payload-locked-documents', ...as })).totalDocs).toBe(0)
    expect((await local().count({ collection: 'payload-locked-documents', ...as })).totalDocs).toBe(0)
    expect((await rejection(local().findByID({ collection: 'payload-locked-documents', id: lockId, ...as }))).status).toBe(404)
    const update = await rejection(
      local().update({ collection: 'payload-locked-documents', id: lockId, data: { user: { relationTo: 'users', value: stranger.id } }, ...as }),
    )
    expect([403, 404]).toContain(update.status)
    expect([403, 404]).toContain((await rejection(local().delete({ collection: 'payload-locked-documents', id: lockId, ...as }))).status)
    expect((await payload.count({ collection: 'payload-locked-documents' })).totalDocs).toBe(1)
  })

  it('its owner reads and releases their own lock', async () => {
    const as = { user: owner, overrideAccess: false }
    expect((await local().find({ collection: 'payload-locked-documents', ...as })).docs.map((doc: any) => String(doc.id))).toEqual([lockId])
    await local().delete({ collection: 'payload-locked-documents', id: lockId, ...as })
    expect((await payload.count({ collection: 'payload-locked-documents' })).totalDocs).toBe(0)
  })
})

describe('payload-preferences and payload-migrations', () => {
  it("nobody but admins creates preferences through the API, and nobody reads another person's", async () => {
    await payload.db.create({ collection: 'payload-preferences', data: { key: 'nav', value: { open: true }, user: { relationTo: 'users', value: owner.id } } })
    const error = await rejection(
      local().create({ collection: 'payload-preferences', data: { key: 'nav', value: {}, user: { relationTo: 'users', value: owner.id } }, user: stranger, overrideAccess: false }),
    )
    expect(error.status).toBe(403)
    expect((await local().find({ collection: 'payload-preferences', user: stranger, overrideAccess: false })).totalDocs).toBe(0)
    expect((await local().find({ collection: 'payload-preferences', user: owner, overrideAccess: false })).totalDocs).toBe(1)
  })

  it('migrations are read by admins only and written by nobody through the API', async () => {
    for (const user of [owner, stranger, worker]) {
      expect((await rejection(local().find({ collection: 'payload-migrations', user, overrideAccess: false }))).status).toBe(403)
      expect((await rejection(local().create({ collection: 'payload-migrations', data: { name: 'x', batch: 1 }, user, overrideAccess: false }))).status).toBe(403)
    }
  })
})
