/**
 * The environment the app reads, with development defaults. Production refuses to start on a default: see
 * assertProductionEnv, called from instrumentation.ts when `next start` boots.
 */
export const DEV_SECRET = 'dev-only-secret-do-not-use-in-production'

/**
 * Secrets written in this repository (docker-compose.yml's former example, the benchmarks', the development one):
 * public, so never a production secret. tests/int/lib/productionSecrets.int.spec.ts scans the repository for
 * PAYLOAD_SECRET values and fails on one this check would accept.
 */
export const KNOWN_PUBLIC_SECRETS: readonly string[] = [
  DEV_SECRET,
  'change-me-to-32-or-more-random-characters',
  'bench-secret-0123456789abcdef0123456789',
]
/** Words of a value someone meant to replace. */
const PLACEHOLDER_WORDS = /change[-_ ]?me|replace[-_ ]?me|placeholder|example|your[-_ ]?secret|secret[-_ ]?here|do[-_ ]?not[-_ ]?use|^x+$|0123456789/i

export const env = {
  get databaseUrl(): string | undefined {
    return process.env.DATABASE_URL || undefined
  },
  get payloadSecret(): string {
    return process.env.PAYLOAD_SECRET || DEV_SECRET
  },
  get serverUrl(): string {
    return process.env.NEXT_PUBLIC_SERVER_URL || ''
  },
  /**
   * Origins whose browser requests may use the session cookie (Payload's `csrf`) and read API answers (`cors`): the
   * origin of NEXT_PUBLIC_SERVER_URL plus ALLOWED_ORIGINS (comma-separated). Empty only in development without a
   * server URL, where Payload then accepts any origin; production refuses to start without a server URL.
   */
  get allowedOrigins(): string[] {
    const origins = [process.env.NEXT_PUBLIC_SERVER_URL, ...(process.env.ALLOWED_ORIGINS ?? '').split(',')]
      .map((value) => value?.trim())
      .filter((value): value is string => Boolean(value))
      .map((value) => {
        try {
          return new URL(value).origin
        } catch {
          throw new Error(`Not a URL in NEXT_PUBLIC_SERVER_URL or ALLOWED_ORIGINS: ${value}`)
        }
      })
    return [...new Set(origins)]
  },
  get s3(): S3Settings | undefined {
    const bucket = process.env.S3_BUCKET
    if (!bucket) return undefined
    return {
      bucket,
      endpoint: process.env.S3_ENDPOINT,
      region: process.env.S3_REGION || 'auto',
      accessKeyId: process.env.S3_ACCESS_KEY_ID || '',
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY || '',
      forcePathStyle: process.env.S3_FORCE_PATH_STYLE !== 'false',
    }
  },
  /** Where the development mailer writes each outgoing message as JSON (src/lib/mail/outboxEmailAdapter.ts); unset: memory and log only. */
  get mailOutboxDir(): string | undefined {
    return process.env.MAIL_OUTBOX_DIR || undefined
  },
  /**
   * The SMTP server real mail goes through (`smtps://user:pass@host:465`, `smtp://user:pass@host:587`; user and
   * password URL-encoded); unset: the outbox (src/lib/mail/emailAdapter.ts). Carries a password: never log it, log
   * describeSmtpUrl() instead.
   */
  get smtpUrl(): string | undefined {
    return process.env.SMTP_URL || undefined
  },
  /** The sender of every mail (`MAIL_FROM`: `Movie Platform <no-reply@example.com>` or a bare address). */
  get mailFrom(): MailSender {
    return parseMailFrom(process.env.MAIL_FROM) ?? DEFAULT_MAIL_FROM
  },
  /** 512 or 1024 (Jina v4); anything else falls back to the default 1024, and production refuses to start on it. */
  get embeddingDimensions(): number {
    const value = Number(process.env.EMBEDDING_DIMENSIONS || 1024)
    return value === 512 ? 512 : 1024
  },
}

export type MailSender = { address: string; name: string }
export const DEFAULT_MAIL_FROM: MailSender = { address: 'no-reply@movie-platform.local', name: 'Movie Platform' }

/** `Name <address>` or `address` as a sender; undefined when unset or not an address. */
export function parseMailFrom(value: string | undefined): MailSender | undefined {
  const match = value?.trim().match(/^(?:"?([^"<>]*?)"?\s*<([^<>\s]+@[^<>\s]+)>|([^<>\s]+@[^<>\s]+))$/)
  if (!match) return undefined
  const address = match[2] ?? match[3]
  return { address, name: match[1]?.trim() || DEFAULT_MAIL_FROM.name }
}

/** The parts of an SMTP_URL nodemailer needs; undefined when it is not an smtp:// or smtps:// URL with a host. */
export function parseSmtpUrl(value: string | undefined): SmtpSettings | undefined {
  if (!value) return undefined
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return undefined
  }
  if (!['smtp:', 'smtps:'].includes(url.protocol) || !url.hostname) return undefined
  const user = decodeURIComponent(url.username)
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : undefined,
    secure: url.protocol === 'smtps:',
    auth: user ? { user, pass: decodeURIComponent(url.password) } : undefined,
  }
}

/** An SMTP_URL as it may appear in a log: scheme, user, host and port, never the password. */
export function describeSmtpUrl(value: string | undefined): string {
  const settings = parseSmtpUrl(value)
  if (!settings) return 'an SMTP_URL that is not an smtp:// or smtps:// URL'
  const user = settings.auth ? `${settings.auth.user}@` : ''
  return `${settings.secure ? 'smtps' : 'smtp'}://${user}${settings.host}${settings.port ? `:${settings.port}` : ''}`
}

export type SmtpSettings = { host: string; port?: number; secure: boolean; auth?: { user: string; pass: string } }

export type S3Settings = {
  bucket: string
  endpoint?: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  forcePathStyle: boolean
}

/** The S3 client configuration of the bucket settings, the same for the media storage, the worker and the backups. */
export function s3ClientConfig(s3: S3Settings) {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    // R2 rejects the CRC checksums AWS SDK v3 sends by default; only send them when an API requires it.
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  }
}

/** Names the variables a production server cannot run without; empty when it may start. */
export function missingProductionSettings(vars: Record<string, string | undefined> = process.env): string[] {
  const problems: string[] = []
  if (!vars.DATABASE_URL) problems.push('DATABASE_URL is not set (a production server never starts the embedded database)')
  if (!vars.PAYLOAD_SECRET) problems.push('PAYLOAD_SECRET is not set')
  else if (vars.PAYLOAD_SECRET === DEV_SECRET) problems.push('PAYLOAD_SECRET is the development secret')
  else if (KNOWN_PUBLIC_SECRETS.includes(vars.PAYLOAD_SECRET) || PLACEHOLDER_WORDS.test(vars.PAYLOAD_SECRET)) {
    problems.push('PAYLOAD_SECRET is a placeholder or a value published in the repository: make one with `openssl rand -hex 32`')
  } else if (vars.PAYLOAD_SECRET.length < 32) problems.push('PAYLOAD_SECRET is shorter than 32 characters')
  else if (new Set(vars.PAYLOAD_SECRET).size < 10) problems.push('PAYLOAD_SECRET has too few distinct characters to be random')
  if (vars.EMBEDDING_DIMENSIONS && !['512', '1024'].includes(vars.EMBEDDING_DIMENSIONS)) {
    problems.push('EMBEDDING_DIMENSIONS must be 512 or 1024')
  }
  if (!vars.NEXT_PUBLIC_SERVER_URL) {
    problems.push('NEXT_PUBLIC_SERVER_URL is not set (without it, cookie-authenticated requests are accepted from any site)')
  }
  problems.push(...mailProblems(vars))
  return problems
}

/**
 * Production mails tokens people act on (email-change confirmations, invitations, password resets): without an SMTP
 * server nobody would receive them, so it needs SMTP_URL and a real sender, unless MAIL_OUTBOX_DIR says the operator
 * accepts mail only filed there. Values are never echoed: SMTP_URL carries a password.
 */
function mailProblems(vars: Record<string, string | undefined>): string[] {
  const problems: string[] = []
  if (vars.MAIL_FROM && !parseMailFrom(vars.MAIL_FROM)) problems.push('MAIL_FROM is not an address (`Name <address>` or `address`)')
  if (vars.SMTP_URL) {
    if (!parseSmtpUrl(vars.SMTP_URL)) problems.push('SMTP_URL is not an smtp:// or smtps:// URL with a host (e.g. smtps://user:password@smtp.example.com:465)')
    if (!vars.MAIL_FROM) problems.push('MAIL_FROM is not set (the sender of mail sent through SMTP_URL, e.g. Movie Platform <no-reply@example.com>)')
  } else if (!vars.MAIL_OUTBOX_DIR) {
    problems.push(
      'SMTP_URL is not set: email-change confirmations, invitations and password resets would reach nobody. Set SMTP_URL and MAIL_FROM, or set MAIL_OUTBOX_DIR to accept that mail is only filed in that folder',
    )
  }
  return problems
}
