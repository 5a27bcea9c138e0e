import type { PayloadEmailAdapter as EmailAdapter, SendEmailOptions } from 'payload'

import { randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'

/** One message as the outbox keeps it. */
export type OutboxMessage = { id: string; to: string; from: string; subject: string; text: string; sentAt: string }

const sent: OutboxMessage[] = []
const KEEP = 500

/** The messages this process sent, oldest first (the last 500): what in-process tests read tokens from. */
export function sentMail(): readonly OutboxMessage[] {
  return sent
}

const addressOf = (value: SendEmailOptions['to']): string => {
  const first = Array.isArray(value) ? value[0] : value
  if (!first) return ''
  return (typeof first === 'string' ? first : first.address).toLowerCase()
}

/**
 * The mailer without a mail server (development, tests; production only when MAIL_OUTBOX_DIR accepts it): every
 * message Payload sends — forgot-password, email-change confirmations, invitations — is kept in memory (sentMail()),
 * logged (recipient and subject, never the body, which carries tokens), and, when `MAIL_OUTBOX_DIR` is set, written
 * there as one JSON file per message (`<sentAt>-<id>.json`) so tests of a running server can read the tokens a person
 * would get by mail. With SMTP_URL set, real mail goes out instead (src/lib/mail/emailAdapter.ts); docs/ACCESS.md, "Mail".
 */
export function outboxEmailAdapter({
  dir,
  fromAddress = 'no-reply@movie-platform.local',
  fromName = 'Movie Platform',
}: { dir?: string; fromAddress?: string; fromName?: string } = {}): EmailAdapter<OutboxMessage> {
  return ({ payload }) => ({
    name: 'outbox',
    defaultFromAddress: fromAddress,
    defaultFromName: fromName,
    sendEmail: async (message) => {
      const record: OutboxMessage = {
        id: randomUUID(),
        to: addressOf(message.to),
        from: typeof message.from === 'string' ? message.from : (message.from?.address ?? fromAddress),
        subject: String(message.subject ?? ''),
        text: String(message.text ?? message.html ?? ''),
        sentAt: new Date().toISOString(),
      }
      sent.push(record)
      if (sent.length > KEEP) sent.splice(0, sent.length - KEEP)
      if (dir) {
        mkdirSync(dir, { recursive: true })
        writeFileSync(path.join(dir, `${record.sentAt.replace(/[:.]/g, '-')}-${record.id}.json`), JSON.stringify(record))
      }
      payload.logger.info({ msg: `Mail to ${record.to}: ${record.subject}` })
      return record
    },
  })
}
