import type { Payload } from 'payload'

import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../../src/payload-types'

import { confirmEmailChange } from '../../../../src/records/emailChange'
import { describeMailer } from '../../../../src/lib/mail/emailAdapter'
import { sentMail } from '../../../../src/lib/mail/outboxEmailAdapter'
import { slugs } from '../../../../src/model/slugs'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * With SMTP_URL set, the mail a person acts on leaves the process: a real SMTP server (smtp-server on 127.0.0.1, no
 * TLS, password login) receives the email-change confirmation, addressed to the new mailbox, from MAIL_FROM, with the
 * token that then confirms the change.
 */
type Received = { from: string; to: string[]; raw: string }
const received: Received[] = []
const logins: { username?: string | null; password?: string | null }[] = []
const SMTP_USER = 'mailer@studio.test'
const SMTP_PASSWORD = 'p@ss:w0rd/with%chars'

const server = new SMTPServer({
  secure: false,
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  logger: false,
  onAuth(auth, _session, callback) {
    logins.push({ username: auth.username, password: auth.password })
    if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) callback(null, { user: auth.username })
    else callback(new Error('Invalid username or password'))
  },
  onData(stream, session, callback) {
    const chunks: Buffer[] = []
    stream.on('data', (chunk: Buffer) => chunks.push(chunk))
    stream.on('end', () => {
      received.push({
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((recipient) => recipient.address),
        raw: Buffer.concat(chunks).toString('utf8'),
      })
      callback()
    })
  },
})

/** The body as a person reads it: quoted-printable soft line breaks and escapes undone. */
const bodyOf = (raw: string) =>
  raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))

let payload: Payload
let cleanup: () => Promise<void>

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  process.env.SMTP_URL = `smtp://${encodeURIComponent(SMTP_USER)}:${encodeURIComponent(SMTP_PASSWORD)}@127.0.0.1:${port}`
  process.env.MAIL_FROM = 'Studio Mail <studio-mail@example.test>'
  ;({ payload, cleanup } = await createTestPayload('smtp-mail'))
})
afterAll(async () => {
  await cleanup?.()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

describe('mail through SMTP_URL', () => {
  it('delivers the email-change confirmation to the new address, from MAIL_FROM, with a token that confirms', async () => {
    const person = (await fixtures(payload).user({ password: 'Passw0rd!secret' })) as User
    const newAddress = `moved-${Date.now()}@example.test`
    const outboxBefore = sentMail().length

    // The person asks, from their own seat, with their current password.
    await payload.update({
      collection: slugs.users,
      id: person.id,
      data: { email: newAddress, currentPassword: 'Passw0rd!secret' } as never,
      user: { ...person, collection: 'users' } as never,
      overrideAccess: false,
    })

    const toNew = received.filter((mail) => mail.to.includes(newAddress))
    expect(toNew).toHaveLength(1)
    const [confirmation] = toNew
    expect(confirmation.from).toBe('studio-mail@example.test')
    expect(confirmation.raw).toMatch(/^From: Studio Mail <studio-mail@example\.test>$/m)
    expect(confirmation.raw).toMatch(new RegExp(`^To: ${newAddress.replace(/\./g, '\\.')}$`, 'm'))
    const token = bodyOf(confirmation.raw).match(/^Confirmation token: (\S+)$/m)?.[1]
    expect(token).toBeTruthy()

    // The old address is told, without the token.
    const toOld = received.filter((mail) => mail.to.includes(person.email))
    expect(toOld).toHaveLength(1)
    expect(bodyOf(toOld[0].raw)).not.toContain(token)

    // Nothing went to the outbox: the mail left the process.
    expect(sentMail().length).toBe(outboxBefore)
    // The server was logged in to with the URL's (decoded) credentials.
    expect(logins).toContainEqual({ username: SMTP_USER, password: SMTP_PASSWORD })

    // The token from the mailbox is what confirms the change.
    expect(await confirmEmailChange({ payload, token: token! })).toEqual({ userId: person.id, email: newAddress })
    expect((await payload.findByID({ collection: slugs.users, id: person.id })).email).toBe(newAddress)
  })

  it('names the SMTP server in the start log without its password', () => {
    const line = describeMailer()
    expect(line).toContain(`smtp://${SMTP_USER}@127.0.0.1:`)
    expect(line).toContain('studio-mail@example.test')
    expect(line).not.toContain(SMTP_PASSWORD)
    expect(line).not.toContain(encodeURIComponent(SMTP_PASSWORD))
  })
})
