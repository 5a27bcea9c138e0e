import type { PayloadEmailAdapter as EmailAdapter } from 'payload'

import { nodemailerAdapter } from '@payloadcms/email-nodemailer'

import { describeSmtpUrl, env, parseSmtpUrl } from '../env'
import { outboxEmailAdapter } from './outboxEmailAdapter'

/**
 * Payload's mailer (docs/ACCESS.md, "Mail"). With SMTP_URL every message goes through that SMTP server, from
 * MAIL_FROM; without it, the outbox keeps, logs and (MAIL_OUTBOX_DIR) files it — development and tests, or a
 * production whose operator accepted filed mail (the production start check refuses neither-nor). The transport is
 * checked once at start (nodemailer's verify: a failure is logged, the server still starts).
 */
export function emailAdapter(): EmailAdapter | Promise<EmailAdapter> {
  const from = env.mailFrom
  const smtp = parseSmtpUrl(env.smtpUrl)
  // A mistyped SMTP_URL never falls back to the outbox silently (the value is not echoed: it carries a password).
  if (env.smtpUrl && !smtp) throw new Error('SMTP_URL is not an smtp:// or smtps:// URL with a host (e.g. smtps://user:password@smtp.example.com:465)')
  if (!smtp) return outboxEmailAdapter({ dir: env.mailOutboxDir, fromAddress: from.address, fromName: from.name })
  return nodemailerAdapter({ defaultFromAddress: from.address, defaultFromName: from.name, transportOptions: smtp })
}

/** Which mailer runs, for the start log: the SMTP server without its password, or the outbox. */
export function describeMailer(): string {
  if (parseSmtpUrl(env.smtpUrl)) return `SMTP via ${describeSmtpUrl(env.smtpUrl)}, from ${env.mailFrom.address}`
  return env.mailOutboxDir ? `outbox (no mail is sent; filed in ${env.mailOutboxDir})` : 'outbox (no mail is sent; logged only)'
}
