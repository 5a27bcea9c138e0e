import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { clearFaults, injectFault, pauseAt } from '../../../src/db/faultInjection'
import { SCENE_ORDER_LOCKS } from '../../../src/records/sceneOrder'
import { sceneService } from '../../../src/services/sceneService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, item 8: the scene-order turn taken twice. A taker delayed between reading the latest turn and inserting
 * the next one found its turn's row cleared by a later taker, and its insert succeeded while that taker still held
 * the episode. It now sees the later turn, gives its own back and waits.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('scene-order-turns'))
  const make = fixtures(payload)
  await make.user() // the first account is the admin
  owner = (await make.user()) as User
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

describe('re-ordering the scenes of an episode', () => {
  it('never hold the turn at once, even when one of them was delayed before taking it', async () => {
    const make = fixtures(payload)
    const project = await make.project(owner.id)
    const episode = await make.episode(project.id, 1)
    const [a, b, c] = [
      (await make.scene(project.id, episode.id, 1)).id,
      (await make.scene(project.id, episode.id, 2)).id,
      (await make.scene(project.id, episode.id, 3)).id,
    ]
    const reorder = (sceneIds: string[]) => sceneService.reorder({ actor: as(owner), episodeId: episode.id, sceneIds })

    // X reads "no turn yet" and stops right before inserting turn 1.
    const delayed = pauseAt({ collection: SCENE_ORDER_LOCKS, command: 'insertOne' })
    const x = reorder([c, b, a]).then(
      () => 'done',
      (err: unknown) => err,
    )
    await delayed.reached
    delayed.remove()
    // Y takes turn 1 and finishes; Z takes turn 2 (clearing turn 1's row) and stops while holding it.
    await reorder([b, a, c])
    const holding = pauseAt({ collection: SCENE_ORDER_LOCKS, command: 'updateOne', when: ({ args }) => 'order' in ((args[1] as { $set?: object }).$set ?? {}) })
    const z = reorder([a, c, b])
    await holding.reached
    // X goes on: it must not get the episode while Z holds it (it waits, then answers 409).
    delayed.release()
    expect(await x).toMatchObject({ status: 409 })
    holding.release()
    await z
    const { docs } = await payload.find({ collection: 'scenes', where: { episode: { equals: episode.id } }, sort: 'sceneNumber', depth: 0 })
    expect(docs.map((scene) => [scene.id, scene.sceneNumber])).toEqual([
      [a, 1],
      [c, 2],
      [b, 3],
    ])
  }, 60_000)

  it('finishes a re-ordering whose write failed half-way instead of leaving negative numbers', async () => {
    const make = fixtures(payload)
    const project = await make.project(owner.id)
    const episode = await make.episode(project.id, 1)
    const [a, b, c] = [
      (await make.scene(project.id, episode.id, 1)).id,
      (await make.scene(project.id, episode.id, 2)).id,
      (await make.scene(project.id, episode.id, 3)).id,
    ]
    // The first write to a final number fails (the others are still on their temporary numbers).
    const fault = injectFault({
      collection: 'scenes',
      command: 'updateOne',
      action: 'transientTransactionError',
      when: ({ args }) => ((args[1] as { $set?: { sceneNumber?: number } }).$set?.sceneNumber ?? 0) > 0,
    })
    await sceneService.reorder({ actor: as(owner), episodeId: episode.id, sceneIds: [c, a, b] })
    expect(fault.hits).toBe(1)
    const { docs } = await payload.find({ collection: 'scenes', where: { episode: { equals: episode.id } }, sort: 'sceneNumber', depth: 0 })
    expect(docs.map((scene) => [scene.id, scene.sceneNumber])).toEqual([
      [c, 1],
      [a, 2],
      [b, 3],
    ])
  }, 60_000)
})
