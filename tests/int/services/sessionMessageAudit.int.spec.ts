import type { Payload } from 'payload'

import { afterAll, beforeAll, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { AuditLog, User } from '../../../src/payload-types'

import { SESSION_MESSAGES } from '../../../src/records/sessionMessages'
import { sessionService } from '../../../src/services/sessionService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** Session messages live in a raw collection that Payload's audit hooks do not see: each append and pick is audited by the service. */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User
let projectId: string
const as = (user: User): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('session_message_audit'))
  owner = (await fixtures(payload).user()) as User
  projectId = (await fixtures(payload).project(owner.id)).id
})
afterAll(async () => cleanup?.())

const entriesOf = async (documentId: string) =>
  (await payload.find({ collection: 'audit-log', where: { documentId: { equals: documentId } }, depth: 0, overrideAccess: true })).docs as AuditLog[]

it('an appended message and a picked choice each leave one create entry naming the message and its author', async () => {
  const session = await sessionService.start({ actor: as(owner), data: { project: projectId } })
  const message = await sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'a wide shot first' })
  const [entry, ...more] = await entriesOf(message.id)
  expect(more).toEqual([])
  expect(entry).toMatchObject({ operation: 'create', collectionSlug: SESSION_MESSAGES, documentId: message.id, user: owner.id, userEmail: owner.email })
  expect(entry.changedFields).toEqual(['session', 'role', 'content'])

  await sessionService.offerChoices({ actor: as(owner), sessionId: session.id, choices: [{ choiceId: 'a', label: 'Dawn', action: 'set-time' }, { choiceId: 'b', label: 'Dusk', action: 'set-time' }] })
  const { message: pick } = await sessionService.pickChoice({ actor: as(owner), sessionId: session.id, choiceId: 'b' })
  expect(await entriesOf(pick.id)).toEqual([expect.objectContaining({ operation: 'create', collectionSlug: SESSION_MESSAGES, changedFields: ['session', 'role', 'content', 'metadata'] })])
})

it('an audit entry cannot be changed or removed through the API (the log stays immutable)', async () => {
  const session = await sessionService.start({ actor: as(owner), data: { project: projectId } })
  const message = await sessionService.appendMessage({ actor: as(owner), sessionId: session.id, role: 'user', content: 'x' })
  const [entry] = await entriesOf(message.id)
  await expect(payload.delete({ collection: 'audit-log', id: entry.id, overrideAccess: false, user: owner })).rejects.toThrow()
  expect(await entriesOf(message.id)).toHaveLength(1)
})
