import type { PayloadRequest } from 'payload'

import { clientIp } from './clientIp'
import { enforceRateLimit, refundRateLimit, resetRateLimit } from './consume'

/**
 * Failed-login lockout, on every engine (Payload's own counter cannot run on FerretDB). Each attempt spends a point
 * of the account's and the IP's `login` budget before the password is checked; a success gives the IP its point
 * back and clears the account, as Payload resets loginAttempts. So after 5 failures within 10 minutes the 6th
 * attempt — even with the right password — answers 429 until the 10-minute lock ends.
 */
export function loginSubject(req: PayloadRequest, email: unknown) {
  const account = typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : undefined
  return { ip: req.headers ? clientIp(req.headers) : undefined, user: account }
}

export async function beginLoginAttempt({ req, email }: { req: PayloadRequest; email: unknown }): Promise<void> {
  await enforceRateLimit({
    policy: 'login',
    req,
    ...loginSubject(req, email),
    message: 'Too many failed login attempts; this account or address is locked for a while.',
  })
}

export async function loginSucceeded({ req, email }: { req: PayloadRequest; email: unknown }): Promise<void> {
  const { ip, user } = loginSubject(req, email)
  if (user) await resetRateLimit({ policy: 'login', user })
  if (ip) await refundRateLimit({ policy: 'login', ip })
}
