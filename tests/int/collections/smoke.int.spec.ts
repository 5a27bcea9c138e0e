import type { Payload } from 'payload'
import { afterAll, beforeAll, expect, it } from 'vitest'

import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('smoke'))
})
afterAll(async () => cleanup?.())

it('creates a user', async () => {
  const user = await payload.create({ collection: 'users', data: { email: 'a@b.test', password: 'x1234567!' } })
  expect(user.role).toBe('user')
})
