import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { snapshotCountsDouble } from '../../../src/db/snapshotCountsDouble'
import { slugs } from '../../../src/model/slugs'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, finding 1: quotas are slots taken by a unique insert outside the transaction (src/records/quotas/quotaSlots.ts).
 * Each interleaving is forced with the fault-injection seam: one actor is stopped at a command until the other is done.
 */
let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('quota-slots'))
  // The first account becomes the admin (whom quotas do not bind); the people below are producers.
  await fixtures(payload).user()
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

const make = () => fixtures(payload)
const person = async (subscription?: Record<string, unknown>) => (await make().user(subscription ? { subscription } : {})) as User
const as = (user: User) => ({ user: { ...user, collection: 'users', _strategy: 'local-jwt' } as never, overrideAccess: false as const, depth: 0 })
const ownedBy = async (user: User) => (await payload.count({ collection: slugs.projects, where: { createdBy: { equals: user.id } } })).totalDocs
/** An accepted ownership invitation's write (invitationService.accept): as the new owner, who is held to their quota. */
const handOver = (projectId: string, to: User) =>
  payload.update({ collection: slugs.projects, id: projectId, data: { createdBy: to.id } as never, overrideAccess: true, user: as(to).user, depth: 0 })
const writeOf = (projectId: string) => ({ collection: 'projects', command: 'findOneAndUpdate' as const, when: ({ args }: { args: unknown[] }) => JSON.stringify(args[0]).includes(projectId) })

describe('hand-overs', () => {
  it('two concurrent hand-overs to one owner cannot both pass their quota (both engines)', async () => {
    const heir = await person({ tier: 'free', maxProjects: 2 })
    await make().project(heir.id)
    const [a, b] = [await make().project((await person()).id), await make().project((await person()).id)]
    // A passes its quota check and is stopped right before its write; B runs through; then A goes on.
    const paused = pauseAt(writeOf(a.id))
    const first = handOver(a.id, heir).then(
      () => 'ok',
      (err) => err.status,
    )
    await paused.reached
    const second = await handOver(b.id, heir).then(
      () => 'ok',
      (err) => err.status,
    )
    paused.release()
    expect([await first, second].sort()).toEqual([403, 'ok'])
    expect(await ownedBy(heir)).toBe(2)
  })

  it('give the old owner’s slot back: the previous owner may create again', async () => {
    const giver = await person({ tier: 'free', maxProjects: 1 })
    const heir = await person({ tier: 'pro' })
    const project = await payload.create({ collection: slugs.projects, data: { title: 'Given away', episodeCount: 1 } as never, ...as(giver) })
    await expect(payload.create({ collection: slugs.projects, data: { title: 'Second', episodeCount: 1 } as never, ...as(giver) })).rejects.toMatchObject({ status: 403 })
    await handOver(String(project.id), heir)
    await payload.create({ collection: slugs.projects, data: { title: 'After hand-over', episodeCount: 1 } as never, ...as(giver) })
    expect(await ownedBy(giver)).toBe(1)
  })
})

describe('creates in their own transactions (MongoDB)', () => {
  it('two project creates whose counts cannot see each other do not both pass', async () => {
    const user = await person({ tier: 'free', maxProjects: 2 })
    await payload.create({ collection: slugs.projects, data: { title: 'Existing', episodeCount: 1 } as never, ...as(user) })
    // MongoDB's isolation for project counts: A's insert stays invisible to B until A commits, and A is held right
    // before its commit while B runs through (the order in which both counts say "1 of 2").
    const snapshots = snapshotCountsDouble(payload, slugs.projects)
    try {
      const held = snapshots.holdCommit()
      const create = (title: string) =>
        payload.create({ collection: slugs.projects, data: { title, episodeCount: 1 } as never, ...as(user) }).then(
          () => 'ok',
          (err) => err.status,
        )
      const first = create('Racer A')
      await held.reached
      const second = await create('Racer B')
      held.release()
      expect([await first, second].sort()).toEqual([403, 'ok'])
    } finally {
      snapshots.remove()
    }
    expect(await ownedBy(user)).toBe(2)
  })
})

describe('slots', () => {
  it('a delete gives its slot back at once', async () => {
    const user = await person({ tier: 'free', maxProjects: 1 })
    const project = await payload.create({ collection: slugs.projects, data: { title: 'Only one', episodeCount: 1 } as never, ...as(user) })
    await payload.delete({ collection: slugs.projects, id: project.id, overrideAccess: true })
    await payload.create({ collection: slugs.projects, data: { title: 'Its successor', episodeCount: 1 } as never, ...as(user) })
    expect(await ownedBy(user)).toBe(1)
  })

  it('input refused by validation takes no slot', async () => {
    const user = await person({ tier: 'free', maxProjects: 1 })
    const refused = await payload.create({ collection: slugs.projects, data: { title: 'Bad', episodeCount: 999 } as never, ...as(user) }).catch((err) => err)
    expect(refused.status).toBe(400)
    await payload.create({ collection: slugs.projects, data: { title: 'Good', episodeCount: 1 } as never, ...as(user) })
  })

  it('episodes per project: two creates stopped at their insert cannot both pass', async () => {
    const owner = await person({ tier: 'free', maxEpisodesPerProject: 1 })
    const project = await make().project(owner.id)
    const paused = pauseAt({ collection: 'episodes', command: ['insertOne', 'insertMany'] })
    const episode = (n: number) =>
      payload.create({ collection: slugs.episodes, data: { project: project.id, episodeNumber: n, title: `E${n}` } as never, ...as(owner) }).then(
        () => 'ok',
        (err) => err.status,
      )
    const first = episode(1)
    await paused.reached
    const second = await episode(2)
    paused.release()
    expect([await first, second].sort()).toEqual([403, 'ok'])
    expect((await payload.count({ collection: slugs.episodes, where: { project: { equals: project.id } } })).totalDocs).toBe(1)
  })
})
