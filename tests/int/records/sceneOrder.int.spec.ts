import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { NotFoundError, ValidationError } from '../../../src/errors'
import { SCENE_ORDER_LOCKS, STALE_LOCK_MS } from '../../../src/records/sceneOrder'
import { sceneService } from '../../../src/services/sceneService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let owner: User, collaborator: User, stranger: User
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('scene_order'))
  f = fixtures(payload)
  await f.user() // the first user is an admin; the others are producers
  owner = (await f.user()) as User
  collaborator = (await f.user()) as User
  stranger = (await f.user()) as User
})
afterAll(async () => cleanup?.())

/** An episode of the owner's project with `count` scenes numbered 1..count; returns their ids in that order. */
async function episodeWithScenes(count: number) {
  const project = await f.project(owner.id, { collaborators: [collaborator.id] })
  const episode = await f.episode(project.id, 1)
  const ids: string[] = []
  for (let number = 1; number <= count; number++) ids.push((await f.scene(project.id, episode.id, number)).id)
  return { projectId: project.id, episodeId: episode.id, ids }
}

/** The episode's scene ids in scene-number order, with their numbers. */
async function numbered(episodeId: string) {
  const { docs } = await payload.find({ collection: 'scenes', where: { episode: { equals: episodeId } }, sort: 'sceneNumber', pagination: false, depth: 0 })
  return { ids: docs.map((scene) => scene.id), numbers: docs.map((scene) => scene.sceneNumber) }
}

describe('re-ordering the scenes of an episode', () => {
  it('numbers them 1..n in the given order and audits each scene whose number changed', async () => {
    const { episodeId, ids } = await episodeWithScenes(4)
    const [a, b, c, d] = ids
    const result = await sceneService.reorder({ actor: as(owner), episodeId, sceneIds: [c, a, b, d] })
    expect(result.scenes).toEqual([
      { id: c, sceneNumber: 1 },
      { id: a, sceneNumber: 2 },
      { id: b, sceneNumber: 3 },
      { id: d, sceneNumber: 4 },
    ])
    expect(await numbered(episodeId)).toEqual({ ids: [c, a, b, d], numbers: [1, 2, 3, 4] })

    const { docs: audit } = await payload.find({ collection: 'audit-log', where: { collectionSlug: { equals: 'scenes' }, documentId: { in: ids }, operation: { equals: 'update' } }, pagination: false })
    expect(audit.map((entry) => entry.documentId).sort()).toEqual([a, b, c].sort()) // d kept its number
    expect(audit.every((entry) => entry.changedFields?.join() === 'sceneNumber' && entry.userEmail === owner.email)).toBe(true)

    // A collaborator may re-order too.
    await sceneService.reorder({ actor: as(collaborator), episodeId, sceneIds: ids })
    expect((await numbered(episodeId)).ids).toEqual(ids)
  })

  it('refuses a list that is not exactly the episode\'s scenes, naming the field, and changes nothing', async () => {
    const { episodeId, ids } = await episodeWithScenes(3)
    const other = await episodeWithScenes(1)
    const [a, b, c] = ids
    const refusal = async (sceneIds: unknown) => {
      const error = await sceneService.reorder({ actor: as(owner), episodeId, sceneIds: sceneIds as string[] }).catch((err: unknown) => err)
      expect(error).toBeInstanceOf(ValidationError)
      return (error as ValidationError).issues
    }
    expect(await refusal([c, a])).toEqual([{ path: 'sceneIds', message: expect.stringMatching(/missing scene 2/) }])
    expect(await refusal([c, a, b, other.ids[0]])).toEqual([{ path: 'sceneIds.3', message: 'is not a scene of this episode' }])
    expect(await refusal([c, a, a])).toEqual([
      { path: 'sceneIds.2', message: 'lists scene 1 a second time' },
      { path: 'sceneIds', message: expect.stringMatching(/missing scene 2/) },
    ])
    expect((await refusal([c, 'not-an-id', b])).map((issue) => issue.path)).toEqual(['sceneIds.1'])
    expect((await refusal(undefined)).map((issue) => issue.path)).toEqual(['sceneIds'])
    expect(await numbered(episodeId)).toEqual({ ids, numbers: [1, 2, 3] })
  })

  it('ends consistent when several re-orderings of one episode run at once', async () => {
    const { episodeId, ids } = await episodeWithScenes(5)
    const orders = [
      [...ids].reverse(),
      [ids[2], ids[0], ids[4], ids[1], ids[3]],
      [ids[1], ids[0], ids[3], ids[2], ids[4]],
      [ids[4], ids[3], ids[0], ids[1], ids[2]],
    ]
    const results = await Promise.all(orders.map((sceneIds) => sceneService.reorder({ actor: as(owner), episodeId, sceneIds })))
    // Each one ran whole, one after the other: each saw its own order applied, and the episode holds one of them.
    results.forEach((result, index) => expect(result.scenes.map((scene) => scene.id)).toEqual(orders[index]))
    const final = await numbered(episodeId)
    expect(final.numbers).toEqual([1, 2, 3, 4, 5])
    expect(orders).toContainEqual(final.ids)
    const locks = await payload.db.connection.db!.collection(SCENE_ORDER_LOCKS).find({ episode: episodeId }).toArray()
    expect(locks).toHaveLength(1)
    expect(locks[0].releasedAt).toBeInstanceOf(Date)
  })

  it('redoes a re-ordering that died half-way before checking the next one', async () => {
    const { episodeId, ids } = await episodeWithScenes(3)
    const [a, b, c] = ids
    // A turn taken long ago and never released, whose plan [c, a, b] got as far as moving c to a temporary number.
    const db = payload.db.connection.db!
    await db.collection(SCENE_ORDER_LOCKS).insertOne({ episode: episodeId, generation: 7, takenAt: new Date(Date.now() - STALE_LOCK_MS - 5_000), order: [c, a, b] })
    await payload.db.collections.scenes.updateOne({ _id: c }, { $set: { sceneNumber: -1 } })
    expect((await numbered(episodeId)).numbers).toEqual([-1, 1, 2])

    // The next re-ordering redoes that plan first: even when its own list is refused, the episode is whole again.
    await expect(sceneService.reorder({ actor: as(owner), episodeId, sceneIds: [a] })).rejects.toBeInstanceOf(ValidationError)
    expect(await numbered(episodeId)).toEqual({ ids: [c, a, b], numbers: [1, 2, 3] })

    const result = await sceneService.reorder({ actor: as(owner), episodeId, sceneIds: [b, c, a] })
    expect(result.scenes.map((scene) => scene.id)).toEqual([b, c, a])
    expect(await numbered(episodeId)).toEqual({ ids: [b, c, a], numbers: [1, 2, 3] })
  })

  it('answers a stranger as if the episode did not exist, and changes nothing', async () => {
    const { episodeId, ids } = await episodeWithScenes(2)
    await expect(sceneService.reorder({ actor: as(stranger), episodeId, sceneIds: [...ids].reverse() })).rejects.toBeInstanceOf(NotFoundError)
    expect((await numbered(episodeId)).ids).toEqual(ids)
  })
})
