import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectFieldErrors } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let userId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('numbering'))
  f = fixtures(payload)
  userId = (await f.user()).id
})
afterAll(async () => cleanup?.())

describe('episode numbers', () => {
  it('are assigned as the next number in the project when omitted', async () => {
    const project = await f.project(userId, { episodeCount: 5 })
    const other = await f.project(userId, { episodeCount: 5 })
    await f.episode(other.id, 4) // numbers of another project do not count
    const first = await payload.create({ collection: 'episodes', data: { project: project.id, title: 'Pilot' } as never })
    const third = await payload.create({ collection: 'episodes', data: { project: project.id, title: 'Three', episodeNumber: 3 } as never })
    const next = await payload.create({ collection: 'episodes', data: { project: project.id, title: 'Four' } as never })
    expect([first.episodeNumber, third.episodeNumber, next.episodeNumber]).toEqual([1, 3, 4])
  })

  it('are all assigned when many creates race, each its own number', async () => {
    const project = await f.project(userId, { episodeCount: 20 })
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        payload.create({ collection: 'episodes', data: { project: project.id, title: `Racer ${i}` } as never }),
      ),
    )
    expect(created.map((episode) => episode.episodeNumber).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('are unique per project', async () => {
    const project = await f.project(userId)
    await f.episode(project.id, 1)
    await expectFieldErrors(f.episode(project.id, 1), ['episodeNumber'])
  })

  it("never exceed the project's episodeCount, and the count cannot drop below a number in use", async () => {
    const project = await f.project(userId, { episodeCount: 2 })
    await f.episode(project.id, 2)
    const before = (await payload.count({ collection: 'episodes', where: { project: { equals: project.id } } })).totalDocs
    const error = await expectFieldErrors(f.episode(project.id, 3), ['episodeNumber'])
    expect(error.data?.errors?.[0].message).toMatch(/episode count \(2\)/)
    // The automatic number is held to the same limit.
    await expectFieldErrors(payload.create({ collection: 'episodes', data: { project: project.id, title: 'x' } as never }), ['episodeNumber'])
    expect((await payload.count({ collection: 'episodes', where: { project: { equals: project.id } } })).totalDocs).toBe(before)

    await expectFieldErrors(payload.update({ collection: 'projects', id: project.id, data: { episodeCount: 1 } }), ['episodeCount'])
    const raised = await payload.update({ collection: 'projects', id: project.id, data: { episodeCount: 3 } })
    expect(raised.episodeCount).toBe(3)
    expect((await f.episode(project.id, 3)).episodeNumber).toBe(3)
  })
})

describe('scene numbers', () => {
  it('are all assigned when many creates race, each its own number', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const created = await Promise.all(
      Array.from({ length: 8 }, () => payload.create({ collection: 'scenes', data: { episode: episode.id } as never })),
    )
    expect(created.map((scene) => scene.sceneNumber).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
  })

  it('are assigned as the next number in the episode when omitted, and unique per episode', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const otherEpisode = await f.episode(project.id, 2)
    await f.scene(project.id, otherEpisode.id, 7)
    const one = await payload.create({ collection: 'scenes', data: { project: project.id, episode: episode.id } as never })
    const five = await f.scene(project.id, episode.id, 5)
    const six = await payload.create({ collection: 'scenes', data: { episode: episode.id } as never })
    expect([one.sceneNumber, five.sceneNumber, six.sceneNumber]).toEqual([1, 5, 6])
    await expectFieldErrors(f.scene(project.id, episode.id, 5), ['sceneNumber'])
  })

  it('keep (project, episode, sceneNumber) unique in the database, the refusal naming sceneNumber', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const otherEpisode = await f.episode(project.id, 2)
    await f.scene(project.id, episode.id, 3)
    // The adapter write alone, past the validator: what decides when two explicit creates race.
    const raw = (episodeId: string) =>
      payload.db.create({ collection: 'scenes', data: { project: project.id, episode: episodeId, sceneNumber: 3, production: { status: 'pending' } } })
    await expectFieldErrors(raw(episode.id), ['sceneNumber'])
    await expect(raw(otherEpisode.id)).resolves.toBeDefined()
    const indexes = await payload.db.collections.scenes.collection.listIndexes().toArray()
    expect(indexes.filter((index) => index.unique).map((index) => Object.keys(index.key))).toContainEqual(['project', 'episode', 'sceneNumber'])
    expect(indexes.map((index) => Object.keys(index.key).join(','))).not.toContain('episode,sceneNumber')
  })

  it('refuse a number taken by a racing explicit create on sceneNumber', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => f.scene(project.id, episode.id, 2)))
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1)
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      await expectFieldErrors(Promise.reject((outcome as PromiseRejectedResult).reason), ['sceneNumber'])
    }
  })
})

describe('episode numbers in the database', () => {
  it('keep (project, episodeNumber) unique, the refusal naming episodeNumber', async () => {
    const project = await f.project(userId, { episodeCount: 3 })
    await f.episode(project.id, 2)
    await expectFieldErrors(payload.db.create({ collection: 'episodes', data: { project: project.id, episodeNumber: 2, title: 'Twin' } }), ['episodeNumber'])
  })
})
