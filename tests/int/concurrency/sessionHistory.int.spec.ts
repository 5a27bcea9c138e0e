import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { sessionService } from '../../../src/services/sessionService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, item 8: a stale `conversationHistory`. Two appends refresh the session's copy of its latest messages;
 * the one that read first could write last, and the copy then lacked the other's message (last writer wins). A
 * refresh that finds a newer message after its write now writes again.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
let projectId: string
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('session-history'))
  const make = fixtures(payload)
  await make.user() // the first account is the admin
  owner = (await make.user()) as User
  projectId = String((await make.project(owner.id)).id)
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

describe('two messages appended at once', () => {
  it('both end up in the conversation history, whichever refresh writes last', async () => {
    const { id: sessionId } = await sessionService.start({ actor: as(owner), data: { project: projectId } })
    // A has read the messages (its own only) and is about to write the history; B appends and refreshes meanwhile.
    const stale = pauseAt({ collection: 'sessions', command: ['updateOne', 'findOneAndUpdate'], when: ({ args }) => JSON.stringify(args[1]).includes('conversationHistory') })
    const first = sessionService.appendMessage({ actor: as(owner), sessionId, role: 'user', content: 'first' })
    await stale.reached
    stale.remove()
    await sessionService.appendMessage({ actor: as(owner), sessionId, role: 'assistant', content: 'second' })
    stale.release()
    await first

    const session = await payload.findByID({ collection: 'sessions', id: sessionId, depth: 0 })
    expect((session.conversationHistory ?? []).map((entry) => entry.content)).toEqual(['first', 'second'])
  }, 60_000)
})
