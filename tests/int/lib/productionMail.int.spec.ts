import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'

import { describeSmtpUrl, missingProductionSettings } from '../../../src/lib/env'

/** The production start check and mail: tokens people act on must reach them, or the operator said they need not. */
const base = {
  DATABASE_URL: 'mongodb://db/app',
  PAYLOAD_SECRET: randomBytes(32).toString('hex'),
  NEXT_PUBLIC_SERVER_URL: 'https://studio.example.com',
}
const SMTP_URL = 'smtps://mailer:s3cret-Pa55@smtp.example.com:465'

describe('production start check: mail', () => {
  it('refuses to start without SMTP_URL, saying how to fix it', () => {
    expect(missingProductionSettings(base)).toEqual([expect.stringMatching(/^SMTP_URL is not set: .*Set SMTP_URL and MAIL_FROM, or set MAIL_OUTBOX_DIR/)])
  })

  it('starts with SMTP_URL and MAIL_FROM', () => {
    expect(missingProductionSettings({ ...base, SMTP_URL, MAIL_FROM: 'Movie Studio <no-reply@studio.example.com>' })).toEqual([])
    expect(missingProductionSettings({ ...base, SMTP_URL: 'smtp://smtp.internal:25', MAIL_FROM: 'no-reply@studio.example.com' })).toEqual([])
  })

  it('starts without SMTP_URL only when MAIL_OUTBOX_DIR accepts filed mail', () => {
    expect(missingProductionSettings({ ...base, MAIL_OUTBOX_DIR: '/var/mail/outbox' })).toEqual([])
  })

  it('refuses SMTP_URL without a sender, a malformed sender, and a URL that is not SMTP — never echoing the password', () => {
    const withoutFrom = missingProductionSettings({ ...base, SMTP_URL })
    expect(withoutFrom).toEqual([expect.stringContaining('MAIL_FROM is not set')])
    expect(missingProductionSettings({ ...base, SMTP_URL, MAIL_FROM: 'Studio <not an address>' })).toEqual([expect.stringContaining('MAIL_FROM is not an address')])
    for (const wrong of ['https://mailer:s3cret-Pa55@smtp.example.com', 'smtps://mailer:s3cret-Pa55@', 'mailer:s3cret-Pa55 smtp.example.com']) {
      const problems = missingProductionSettings({ ...base, SMTP_URL: wrong, MAIL_FROM: 'no-reply@studio.example.com' })
      expect(problems, wrong).toEqual([expect.stringContaining('SMTP_URL is not an smtp:// or smtps:// URL')])
      expect(problems.join('\n')).not.toContain('s3cret-Pa55')
    }
  })

  it('describes an SMTP_URL for logs without its password', () => {
    expect(describeSmtpUrl(SMTP_URL)).toBe('smtps://mailer@smtp.example.com:465')
    expect(describeSmtpUrl('smtp://relay.internal')).toBe('smtp://relay.internal')
    expect(describeSmtpUrl('not a url with s3cret-Pa55')).not.toContain('s3cret-Pa55')
  })
})
