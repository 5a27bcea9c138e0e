import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { WHERE_LIMITS } from '../../../../src/model/apiLimits'
import { slugs } from '../../../../src/model/slugs'
import { rejection } from '../../../helpers/errors'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * `where` bounds (issue 19 item 8) on every collection and operation, as a caller (overrideAccess: false, the path
 * REST, GraphQL and /api/v1 take): branches, conditions, nesting and relationship paths over WHERE_LIMITS are a 400
 * naming the bound; the filters a frontend and the admin send pass. (Over HTTP: tests/e2e/api/queryLimits.e2e.spec.ts.)
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: any
let projectId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('where-bounds'))
  const f = fixtures(payload)
  owner = { ...(await f.user()), collection: 'users', _strategy: 'local-jwt' }
  const project = await f.project(owner.id, { title: 'Bounded' })
  projectId = String(project.id)
  const episode = await f.episode(projectId, 1)
  await f.scene(projectId, String(episode.id), 1)
}, 120_000)
afterAll(async () => cleanup?.())

const as = () => ({ user: owner, overrideAccess: false as const })
const orOf = (count: number, condition: (i: number) => Record<string, unknown>) => ({ or: Array.from({ length: count }, (_, i) => condition(i)) })

async function limitOf(promise: Promise<unknown>): Promise<{ status: number; limit: unknown; message: string }> {
  const error = await rejection(promise)
  return { status: Number(error.status), limit: (error as any).data?.limit, message: error.message }
}

describe('over a bound: 400 naming it, on every collection and operation', () => {
  const collections = [...Object.values(slugs), 'payload-locked-documents', 'payload-preferences'] as string[]
  it.each(collections)('%s: too many or-branches on find, count, update, delete', async (collection) => {
    const where = orOf(WHERE_LIMITS.maxBranches + 1, (i) => ({ id: { not_equals: `x${i}` } }))
    const local = payload as any
    for (const call of [
      () => local.find({ collection, where, ...as() }),
      () => local.count({ collection, where, ...as() }),
      () => local.update({ collection, where, data: {}, ...as() }),
      () => local.delete({ collection, where, ...as() }),
    ]) {
      expect(await limitOf(call())).toMatchObject({ status: 400, limit: 'where.branches' })
    }
  })

  it('the issue-19 request: 200 or-branches on a relationship sub-field', async () => {
    const where = orOf(200, (i) => ({ 'createdBy.email': { equals: `victim${i}@example.test` } }))
    const refused = await limitOf(payload.find({ collection: 'projects', where: where as never, ...as() }))
    expect(refused.status).toBe(400)
    expect(refused.message).toMatch(/limit where\.(branches|relationshipPaths)/)
  })

  it('relationship paths: each related-collection query counts, a path through two relationships twice', async () => {
    const direct = orOf(WHERE_LIMITS.maxRelationshipPaths + 1 > WHERE_LIMITS.maxBranches ? 1 : WHERE_LIMITS.maxRelationshipPaths + 1, (i) => ({
      'project.title': { equals: `t${i}` },
    }))
    expect(await limitOf(payload.find({ collection: 'episodes', where: direct as never, ...as() }))).toMatchObject({ status: 400, limit: 'where.relationshipPaths' })
    const twoHops = Math.floor(WHERE_LIMITS.maxRelationshipPaths / 2) + 1
    const chained = { and: Array.from({ length: twoHops }, (_, i) => ({ 'episode.project.title': { not_equals: `t${i}` } })) }
    expect(await limitOf(payload.find({ collection: 'scenes', where: chained as never, ...as() }))).toMatchObject({ status: 400, limit: 'where.relationshipPaths' })
  })

  it('conditions and nesting', async () => {
    const conditions = { and: [Object.fromEntries(Array.from({ length: WHERE_LIMITS.maxConditions + 1 }, (_, i) => [`title${i}`, { equals: 'x' }]))] }
    expect(await limitOf(payload.find({ collection: 'projects', where: conditions as never, ...as() }))).toMatchObject({ status: 400, limit: 'where.conditions' })
    let nested: Record<string, unknown> = { title: { equals: 'x' } }
    for (let i = 0; i < WHERE_LIMITS.maxDepth + 1; i++) nested = { and: [nested] }
    expect(await limitOf(payload.find({ collection: 'projects', where: nested as never, ...as() }))).toMatchObject({ status: 400, limit: 'where.depth' })
  })
})

describe('what frontends and the admin send passes', () => {
  it('the admin list: a search over the listed fields, or-groups of and-conditions from the filter builder', async () => {
    const where = {
      and: [
        { or: [{ title: { like: 'Bound' } }, { description: { like: 'Bound' } }] },
        {
          or: [
            { and: [{ status: { equals: 'draft' } }, { 'projectSettings.aspectRatio': { equals: '16:9' } }] },
            { and: [{ genre: { in: ['drama', 'comedy'] } }, { updatedAt: { greater_than: '2020-01-01' } }] },
          ],
        },
      ],
    }
    const { docs } = await payload.find({ collection: 'projects', where: where as never, ...as() })
    expect(docs.map((doc) => doc.title)).toEqual(['Bounded'])
  })

  it('a few relationship sub-fields and group paths (no join) stay within the bounds', async () => {
    const where = {
      and: [
        { 'project.title': { equals: 'Bounded' } },
        { 'episode.title': { equals: 'Episode 1' } },
        { 'episode.project.title': { equals: 'Bounded' } },
      ],
    }
    const { docs } = await payload.find({ collection: 'scenes', where: where as never, ...as() })
    expect(docs).toHaveLength(1)
    const groups = { and: Array.from({ length: 10 }, () => ({ 'projectSettings.aspectRatio': { equals: '16:9' } })) }
    expect((await payload.find({ collection: 'projects', where: groups as never, ...as() })).totalDocs).toBe(1)
  })

  it("a polymorphic relationship's stored pair (the admin's document locks) is no join", async () => {
    const where = { and: Array.from({ length: 8 }, (_, i) => ({ [i % 2 ? 'document.relationTo' : 'document.value']: { equals: i % 2 ? 'projects' : projectId } })) }
    const found = await payload.find({ collection: 'payload-locked-documents', where: where as never, ...as() })
    expect(found.totalDocs).toBe(0)
  })

  it('server code with overridden access is not bounded', async () => {
    const where = orOf(WHERE_LIMITS.maxBranches + 5, (i) => ({ title: { equals: i === 0 ? 'Bounded' : `t${i}` } }))
    expect((await payload.find({ collection: 'projects', where: where as never })).totalDocs).toBe(1)
  })
})
