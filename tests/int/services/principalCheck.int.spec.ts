import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { principalCheck } from '../../../src/services/actor'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The re-check a long-lived request (the project event stream) runs on each heartbeat (issue 19 item 10): it answers
 * the account as stored now, and null once anything the grant rested on changed since the stream opened.
 */
let payload: Payload
let cleanup: () => Promise<void>
const PASSWORD = 'Passw0rd!secret'

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('principal_check'))
})
afterAll(async () => cleanup?.())

/** A signed-in person as the JWT strategy hands them to a request: with the id of the session that signed it. */
async function signedIn(data: Record<string, unknown> = {}) {
  const user = (await fixtures(payload).user({ password: PASSWORD, ...data })) as User
  const login = await payload.login({ collection: 'users', data: { email: user.email, password: PASSWORD } })
  const stored = (await payload.db.findOne({ collection: 'users', where: { id: { equals: user.id } } })) as { sessions?: { id: string }[] }
  const sid = stored.sessions!.at(-1)!.id
  return { user: { ...(login.user as User), collection: 'users', _strategy: 'local-jwt', _sid: sid } as User, sid }
}

describe('principalCheck', () => {
  it('answers the fresh account while nothing changed, and the new figures of a harmless change', async () => {
    const { user } = await signedIn()
    const check = await principalCheck({ payload, user })
    expect((await check())?.id).toBe(user.id)
    await payload.update({ collection: 'users', id: user.id, data: { name: 'Renamed' } })
    expect((await check())?.name).toBe('Renamed')
  })

  it('ends on a role change, a password change, the session ending, or the account being deleted', async () => {
    const admin = await signedIn({ role: 'admin' })
    const demoted = await principalCheck({ payload, user: admin.user })
    await payload.update({ collection: 'users', id: admin.user.id, data: { role: 'user' } as never })
    expect(await demoted()).toBeNull()

    const person = await signedIn()
    const passwordChanged = await principalCheck({ payload, user: person.user })
    await payload.update({ collection: 'users', id: person.user.id, data: { password: 'An0ther-Passw0rd!' } as never })
    expect(await passwordChanged()).toBeNull()

    const leaving = await signedIn()
    const loggedOut = await principalCheck({ payload, user: leaving.user })
    await payload.db.updateOne({ collection: 'users', id: leaving.user.id, data: { sessions: [] } })
    expect(await loggedOut()).toBeNull()

    const gone = await signedIn()
    const deleted = await principalCheck({ payload, user: gone.user })
    await payload.delete({ collection: 'users', id: gone.user.id })
    expect(await deleted()).toBeNull()
  })

  it('ends for an API key that is disabled or replaced', async () => {
    const make = fixtures(payload)
    const owner = (await make.user({ enableAPIKey: true, apiKey: `key-${Date.now()}-aaaaaaaaaaaaaaaaaaaa` })) as User
    const asKey = { ...owner, collection: 'users', _strategy: 'api-key' } as User
    const disabled = await principalCheck({ payload, user: asKey })
    expect((await disabled())?.id).toBe(owner.id)
    await payload.update({ collection: 'users', id: owner.id, data: { enableAPIKey: false } as never })
    expect(await disabled()).toBeNull()

    const other = (await make.user({ enableAPIKey: true, apiKey: `key-${Date.now()}-bbbbbbbbbbbbbbbbbbbb` })) as User
    const replaced = await principalCheck({ payload, user: { ...other, collection: 'users', _strategy: 'api-key' } as User })
    await payload.update({ collection: 'users', id: other.id, data: { apiKey: `key-${Date.now()}-cccccccccccccccccccc` } as never })
    expect(await replaced()).toBeNull()
  })
})
