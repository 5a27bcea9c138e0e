import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { clearFaults, injectFault, pauseAt } from '../../../src/db/faultInjection'
import { sessionService } from '../../../src/services/sessionService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, finding 2's worst case: a choice pick is stored, then the session update loses a transaction race on
 * MongoDB. It used to answer 500, and the client's retry 409 "already picked": the session waited for input for
 * ever. The update is now retried, and once the retries are spent (409) the same pick repeated completes it.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
let projectId: string
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('session-pick'))
  const make = fixtures(payload)
  await make.user() // the first account is the admin
  owner = (await make.user()) as User
  projectId = String((await make.project(owner.id)).id)
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

const offer = async () => {
  const session = await sessionService.start({ actor: as(owner), data: { project: projectId } })
  await sessionService.offerChoices({
    actor: as(owner),
    sessionId: session.id,
    choices: [
      { choiceId: 'noir', label: 'Go noir', action: 'set-tone' },
      { choiceId: 'bright', label: 'Go bright', action: 'set-tone' },
    ],
  })
  return session.id
}
const sessionWrite = { collection: 'sessions', command: 'findOneAndUpdate' as const }

describe('a choice pick', () => {
  it('whose session update meets a WriteConflict is retried and completes', async () => {
    const sessionId = await offer()
    const conflict = injectFault({ ...sessionWrite, action: 'writeConflict' })
    const { session } = await sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'noir' })
    expect(conflict.hits).toBe(1)
    expect(session.awaitingUserInput).toBe(false)
  })

  it('stored before a session update that kept failing answers 409, and the same pick repeated completes the session', async () => {
    const sessionId = await offer()
    injectFault({ ...sessionWrite, action: 'writeConflict', times: 100 })
    const failed = await sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'noir' }).catch((err) => err)
    expect(failed.status).toBe(409)
    clearFaults()
    // Another answer to the same offer is still refused; the same one completes the pick.
    await expect(sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'bright' })).rejects.toMatchObject({ status: 409 })
    const { message, session } = await sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'noir' })
    expect(session.awaitingUserInput).toBe(false)
    expect(message).toMatchObject({ role: 'user', content: 'Go noir' })
    const messages = await sessionService.findMessages({ actor: as(owner), sessionId })
    expect(messages.docs.map((m) => m.content)).toEqual(['Go noir'])
  })

  it('answers the offer it read: an offer made meanwhile stays open', async () => {
    const sessionId = await offer()
    // The pick has read the first offer and is about to store its answer; a new offer lands meanwhile.
    const paused = pauseAt({ collection: 'session-messages', command: 'insertOne' })
    const pick = sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'noir' })
    await paused.reached
    paused.remove()
    await sessionService.offerChoices({ actor: as(owner), sessionId, choices: [{ choiceId: 'epic', label: 'Go epic', action: 'set-scale' }] })
    paused.release()
    const { message, session } = await pick
    expect(message).toMatchObject({ role: 'user', content: 'Go noir' })
    expect(session).toMatchObject({ awaitingUserInput: true, lastChoices: [expect.objectContaining({ choiceId: 'epic' })] })
    const stored = await payload.findByID({ collection: 'sessions', id: sessionId, depth: 0 })
    expect(stored).toMatchObject({ awaitingUserInput: true, lastChoices: [expect.objectContaining({ choiceId: 'epic' })] })
    // The new offer is answered as any other.
    const answered = await sessionService.pickChoice({ actor: as(owner), sessionId, choiceId: 'epic' })
    expect(answered.session.awaitingUserInput).toBe(false)
  })
})
