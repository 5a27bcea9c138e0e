import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { fixtures, seeding } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, item 8: two status changes read from one state both passed their check, and the later write won
 * whatever the earlier one had made of the document (FerretDB: no update is atomic). A scene in review approved
 * (final) and sent back at once ended as pending after approved. The second change from one state is now refused.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('status-changes'))
  const make = fixtures(payload)
  await make.user() // the first account is the admin
  owner = (await make.user()) as User
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

describe('two status changes of one scene at once', () => {
  it('never both land: the second one from the same state is refused with 409', async () => {
    const make = fixtures(payload)
    const project = await make.project(owner.id)
    const episode = await make.episode(project.id, 1)
    const scene = await make.scene(project.id, episode.id, 1, { production: { status: 'reviewing' } })
    const review = (status: 'approved' | 'pending') =>
      payload.update({ collection: 'scenes', id: scene.id, data: { production: { status } } as never, user: owner, overrideAccess: false, context: seeding, depth: 0 })

    // The approval has passed its check and is about to write; the rejection runs in between.
    const paused = pauseAt({ collection: 'scenes', command: ['findOneAndUpdate', 'updateOne'], when: ({ args }) => JSON.stringify(args[1]).includes('approved') })
    const approval = review('approved')
    await paused.reached
    paused.remove()
    const rejection = await review('pending').then(
      () => 'done',
      (err: unknown) => err,
    )
    paused.release()
    await approval

    expect(rejection).toMatchObject({ status: 409 })
    const stored = await payload.findByID({ collection: 'scenes', id: scene.id, depth: 0 })
    expect(stored.production?.status).toBe('approved')
  }, 60_000)
})
