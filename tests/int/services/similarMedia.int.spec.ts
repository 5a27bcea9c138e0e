import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { ConflictError, NotFoundError, ValidationError } from '../../../src/errors'
import { getCache, resetCache } from '../../../src/lib/cache'
import { createRedisVersionStore } from '../../../src/lib/cache/redisVersionStore'
import { loadedVectorProjects } from '../../../src/search/vectors/mediaVectorIndex'
import { invitationService } from '../../../src/services/invitationService'
import { mediaService } from '../../../src/services/mediaService'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { invitationToken } from '../../helpers/mail'
import { createTestPayload } from '../../helpers/payload'
import { cosine, randomVector, seededRandom } from '../../helpers/randomVectors'

/**
 * "More like this" on the test engine (FerretDB v1: the exact in-memory top-k), with the cache channel in Redis
 * (REDIS_URL) as in a multi-instance deployment: answers equal brute force over what the caller may read, the
 * dimension is enforced on reads and writes, and media writes drop the in-memory rows on every instance.
 */
const DIMENSIONS = 1024
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const savedRedisUrl = process.env.REDIS_URL
let payload: Payload
let cleanup: () => Promise<void>
let admin: User, owner: User, stranger: User
let project: string, otherProject: string, strangerProject: string
const random = seededRandom(42)
const ownMedia: { id: string; mediaType: string; embedding: number[]; project: string }[] = []
const strangerMedia: string[] = []
const as = (user: User): Actor => ({ payload, user })

async function upload(data: Record<string, unknown>) {
  return (await payload.create({ collection: 'media', data: data as never, file: await pngFile(8, 8) })) as { id: string }
}

beforeAll(async () => {
  process.env.REDIS_URL = redisUrl
  await resetCache()
  ;({ payload, cleanup } = await createTestPayload('similar'))
  const make = fixtures(payload)
  admin = (await make.user()) as User
  owner = (await make.user()) as User
  stranger = (await make.user()) as User
  project = String((await make.project(owner.id)).id)
  otherProject = String((await make.project(owner.id)).id)
  strangerProject = String((await make.project(stranger.id)).id)
  for (let n = 0; n < 16; n++) {
    const mediaType = n % 2 ? 'concept_art' : 'storyboard'
    const target = n < 12 ? project : otherProject
    const embedding = randomVector(random, DIMENSIONS)
    ownMedia.push({ id: String((await upload({ project: target, mediaType, embedding })).id), mediaType, embedding, project: target })
  }
  // Without an embedding: never a hit.
  await upload({ project, mediaType: 'storyboard' })
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
  await resetCache()
  process.env.REDIS_URL = savedRedisUrl
})

const bruteForce = (query: number[], keep: (media: (typeof ownMedia)[number]) => boolean, limit: number) =>
  ownMedia
    .filter(keep)
    .map((media) => ({ id: media.id, score: cosine(media.embedding, query) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, limit)

describe('mediaService.findSimilar', () => {
  it('answers the brute-force top-k over the caller’s media, even when a stranger holds closer vectors', async () => {
    const query = randomVector(random, DIMENSIONS)
    // The stranger's media are the query itself and near copies: the best possible hits, if they leaked.
    for (let n = 0; n < 3; n++) {
      strangerMedia.push(String((await upload({ project: strangerProject, mediaType: 'storyboard', embedding: query.map((x) => x + n / 100) })).id))
    }
    const result = await mediaService.findSimilar({ actor: as(owner), vector: query, limit: 5 })
    expect(result.strategy).toBe('exact')
    const expected = bruteForce(query, () => true, 5)
    expect(result.docs.map((doc) => doc.id)).toEqual(expected.map((hit) => hit.id))
    result.docs.forEach((doc, index) => expect(doc.score).toBeCloseTo(expected[index].score, 4))
    expect(Object.keys(result.docs[0])).not.toContain('embedding')

    const filtered = await mediaService.findSimilar({ actor: as(owner), vector: query, project: otherProject, mediaType: 'concept_art', limit: 100 })
    expect(filtered.docs.map((doc) => doc.id)).toEqual(
      bruteForce(query, (media) => media.project === otherProject && media.mediaType === 'concept_art', 100).map((hit) => hit.id),
    )
    const strangers = await mediaService.findSimilar({ actor: as(stranger), vector: query, limit: 10 })
    expect(strangers.docs.map((doc) => doc.id).sort()).toEqual([...strangerMedia].sort())
    expect(strangers.docs[0].score).toBeCloseTo(1, 5)
    // Admins see every project.
    const everything = await mediaService.findSimilar({ actor: as(admin), vector: query, limit: 100 })
    expect(everything.docs).toHaveLength(ownMedia.length + strangerMedia.length)
  })

  it('finds media like a given one, leaving it out; 404 for media the caller cannot read; 409 without an embedding', async () => {
    const source = ownMedia[3]
    const result = await mediaService.findSimilar({ actor: as(owner), mediaId: source.id, limit: 3 })
    expect(result.docs.map((doc) => doc.id)).toEqual(bruteForce(source.embedding, (media) => media.id !== source.id, 3).map((hit) => hit.id))
    await expect(mediaService.findSimilar({ actor: as(stranger), mediaId: source.id })).rejects.toBeInstanceOf(NotFoundError)
    const bare = await upload({ project, mediaType: 'storyboard' })
    await expect(mediaService.findSimilar({ actor: as(owner), mediaId: bare.id })).rejects.toBeInstanceOf(ConflictError)
  })

  it('refuses vectors and embeddings of another dimension, and negative or fractional limits, naming the field', async () => {
    const issues = async (promise: Promise<unknown>) => {
      const err = await promise.catch((e: unknown) => e)
      expect(err).toBeInstanceOf(ValidationError)
      return (err as ValidationError).issues
    }
    expect(await issues(mediaService.findSimilar({ actor: as(owner), vector: randomVector(random, 512) }))).toEqual([
      { path: 'vector', message: 'must have 1024 numbers (EMBEDDING_DIMENSIONS), not 512' },
    ])
    expect((await issues(mediaService.findSimilar({ actor: as(owner), vector: [1, 2], limit: -1 }))).map((i) => i.path)).toEqual(['limit'])
    expect((await issues(mediaService.findSimilar({ actor: as(owner), vector: [1, 2], limit: 2.5 }))).map((i) => i.path)).toEqual(['limit'])
    expect((await issues(mediaService.findSimilar({ actor: as(owner) }))).map((i) => i.path)).toEqual(['mediaId'])
    // Over 100 (or 0): the API's one page-size rule, the 100 best and the answer's `limit` says so.
    for (const limit of [101, 0]) {
      const clamped = await mediaService.findSimilar({ actor: as(owner), vector: randomVector(random, DIMENSIONS), limit })
      expect(clamped.limit).toBe(100)
      expect(clamped.docs).toHaveLength(ownMedia.length)
    }
    // A write of a 512-number embedding on a 1024 deployment: 400 naming `embedding`, through the collection.
    const err = await payload
      .update({ collection: 'media', id: ownMedia[0].id, data: { embedding: randomVector(random, 512) } as never, user: owner, overrideAccess: false })
      .catch((e: unknown) => e as { status?: number; data?: { errors?: { path: string; message: string }[] } })
    expect((err as { status?: number }).status).toBe(400)
    expect((err as { data: { errors: { path: string; message: string }[] } }).data.errors).toEqual([
      expect.objectContaining({ path: 'embedding', message: expect.stringContaining('1024 numbers') }),
    ])
  })

  it('never gives a pending invitee the project they are invited to, and keeps their pages full', async () => {
    const invitee = (await fixtures(payload).user()) as User
    await invitationService.invite({ actor: as(owner), projectId: project, email: invitee.email })
    const inviteeProject = String((await fixtures(payload).project(invitee.id)).id)
    const theirs: string[] = []
    for (let n = 0; n < 3; n++) theirs.push(String((await upload({ project: inviteeProject, mediaType: 'storyboard', embedding: randomVector(random, DIMENSIONS) })).id))
    // The query is one of the invited project's media: its perfect hit, and a dozen close ones, if they leaked.
    const query = ownMedia.find((media) => media.project === project)!
    const page = await mediaService.findSimilar({ actor: as(invitee), vector: query.embedding, limit: 2 })
    expect(page.docs).toHaveLength(2)
    expect(page.docs.every((doc) => theirs.includes(doc.id))).toBe(true)
    const all = await mediaService.findSimilar({ actor: as(invitee), vector: query.embedding, limit: 100 })
    expect(all.docs.map((doc) => doc.id).sort()).toEqual([...theirs].sort())
    expect((await mediaService.findSimilar({ actor: as(invitee), vector: query.embedding, project })).docs).toEqual([])
    await expect(mediaService.findSimilar({ actor: as(invitee), mediaId: query.id })).rejects.toBeInstanceOf(NotFoundError)
    // Accepting is what lets the project in: its media then leads.
    const [invitation] = (await invitationService.listMine({ actor: as(invitee) })).docs
    await invitationService.accept({ actor: as(invitee), id: invitation.id, token: invitationToken(invitation.id) })
    const joined = await mediaService.findSimilar({ actor: as(invitee), vector: query.embedding, limit: 1 })
    expect(joined.docs.map((doc) => doc.id)).toEqual([query.id])
  })

  it('follows media updates and deletes, and hears invalidations from other instances over the cache channel', async () => {
    const query = randomVector(random, DIMENSIONS)
    await mediaService.findSimilar({ actor: as(owner), vector: query, project })
    expect(loadedVectorProjects()).toContain(project)

    // Another instance's view of the channel: it hears what this one publishes, and can publish itself.
    const other = createRedisVersionStore({ url: redisUrl, log: () => {} })
    const heard: string[][] = []
    other.onBump((tags) => heard.push(tags))
    await new Promise((resolve) => setTimeout(resolve, 300))
    try {
      const moved = ownMedia[5]
      await payload.update({ collection: 'media', id: moved.id, data: { embedding: query } as never, user: owner, overrideAccess: false })
      moved.embedding = query
      const after = await mediaService.findSimilar({ actor: as(owner), vector: query, limit: 1 })
      expect(after.docs[0]).toMatchObject({ id: moved.id })
      expect(after.docs[0].score).toBeCloseTo(1, 5)
      await expect.poll(() => heard.flat()).toContain(`media-vectors:${project}`)

      await payload.delete({ collection: 'media', id: moved.id, user: owner, overrideAccess: false })
      ownMedia.splice(ownMedia.indexOf(moved), 1)
      const afterDelete = await mediaService.findSimilar({ actor: as(owner), vector: query, limit: 3 })
      expect(afterDelete.docs.map((doc) => doc.id)).toEqual(bruteForce(query, () => true, 3).map((hit) => hit.id))

      // A write on another instance: its bump reaches this one, which drops the project's rows.
      await mediaService.findSimilar({ actor: as(owner), vector: query, project })
      expect(loadedVectorProjects()).toContain(project)
      await other.bump([`media-vectors:${project}`])
      await expect.poll(() => loadedVectorProjects()).not.toContain(project)
      // Unrelated cache traffic (project documents) leaves the rows alone.
      await mediaService.findSimilar({ actor: as(owner), vector: query, project })
      await getCache().invalidate({ tags: [`project:${project}`] })
      expect(loadedVectorProjects()).toContain(project)
    } finally {
      await other.close()
    }
  })
})
