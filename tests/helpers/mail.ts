import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'

import { type OutboxMessage, sentMail } from '../../src/lib/mail/outboxEmailAdapter'

/**
 * The mail a person would have received, read from the development mailer (src/lib/mail/outboxEmailAdapter.ts):
 * in-process (int tests) from its memory, from a running server (e2e) from its MAIL_OUTBOX_DIR.
 */
export function outbox(dir?: string): OutboxMessage[] {
  if (!dir) return [...sentMail()]
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => JSON.parse(readFileSync(path.join(dir, name), 'utf8')) as OutboxMessage)
}

/** Every message sent to one address, oldest first. */
export const mailTo = (address: string, dir?: string) => outbox(dir).filter((message) => message.to === address.toLowerCase())

/** The token of the newest invitation mail for this invitation id (as only its invited address receives it). */
export function invitationToken(invitationId: string, dir?: string): string {
  const message = outbox(dir)
    .reverse()
    .find((mail) => mail.text.includes(`Invitation: ${invitationId}`))
  const token = message?.text.match(/^Token: (\S+)$/m)?.[1]
  if (!token) throw new Error(`no invitation mail for ${invitationId}`)
  return token
}

/** The confirmation token of the newest email-change mail sent to this address, or undefined. */
export function emailChangeToken(address: string, dir?: string): string | undefined {
  const message = mailTo(address, dir)
    .reverse()
    .find((mail) => /Confirmation token: /.test(mail.text))
  return message?.text.match(/^Confirmation token: (\S+)$/m)?.[1]
}

/** The newest invitation mailed to this address: its invitation id and token. */
export function latestInvitation(address: string, dir?: string): { id: string; token: string } {
  const message = mailTo(address, dir)
    .reverse()
    .find((mail) => /^Invitation: /m.test(mail.text))
  const id = message?.text.match(/^Invitation: (\S+)$/m)?.[1]
  const token = message?.text.match(/^Token: (\S+)$/m)?.[1]
  if (!id || !token) throw new Error(`no invitation mail to ${address}`)
  return { id, token }
}
