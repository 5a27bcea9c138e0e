import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { slugs } from '../../../src/model/slugs'
import { rejection } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Every read path applies access (issue 9 item 6): an operator that makes the adapter drop the access constraint
 * (`near` → estimatedDocumentCount) is refused with a 400 on every operation of every collection.
 */
let payload: Payload
let cleanup: () => Promise<void>
let stranger: any

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('read-paths'))
  const f = fixtures(payload)
  await f.user({ role: 'admin' })
  const owner = await f.user()
  stranger = { ...(await f.user()), collection: 'users', _strategy: 'local-jwt' }
  const project = await f.project(owner.id)
  await f.episode(String(project.id), 1)
})
afterAll(async () => cleanup?.())

const near = { id: { near: '1,2' } }
const collections = [...Object.values(slugs), 'payload-locked-documents', 'payload-preferences'] as string[]

describe('operators that bypass access are refused on every operation', () => {
  it.each(collections)('%s: find, count, bulk update and bulk delete with `near` answer 400', async (collection) => {
    const as = { user: stranger, overrideAccess: false as const }
    const local = payload as any
    const calls = {
      find: () => local.find({ collection, where: near, ...as }),
      count: () => local.count({ collection, where: near, ...as }),
      update: () => local.update({ collection, where: near, data: {}, ...as }),
      delete: () => local.delete({ collection, where: near, ...as }),
      nested: () => local.count({ collection, where: { or: [{ and: [{ id: { near: '0,0,1' } }] }] }, ...as }),
    }
    for (const [name, call] of Object.entries(calls)) {
      const error = await rejection(call())
      expect(error.status, `${collection} ${name}: ${error.message}`).toBe(400)
    }
  })

  it('versions of prompt templates too', async () => {
    const error = await rejection((payload as any).findVersions({ collection: slugs.promptTemplates, where: near, user: stranger, overrideAccess: false }))
    expect(error.status).toBe(400)
  })

  it("a stranger's counts hold only what they may read", async () => {
    for (const collection of [slugs.users, slugs.projects, slugs.episodes]) {
      const { totalDocs } = await payload.count({ collection, user: stranger, overrideAccess: false })
      expect(totalDocs, collection).toBe(collection === slugs.users ? 1 : 0)
    }
  })
})
