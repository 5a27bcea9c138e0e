import type { PayloadRequest } from 'payload'

import { clientIp } from './clientIp'
import { enforceRateLimit, refundRateLimit, resetRateLimit } from './consume'
import { getLimiter } from './limiters'
import { LOGIN_LOCK_SECONDS, resolvePolicy } from './policies'

/**
 * Failed-login throttling that an attacker cannot turn against the account's owner (docs/ACCESS.md, "Login
 * lockout"). Every attempt spends, before the password is checked:
 * - a point of the account-at-address budget (5 per 10 min, then that address is locked out of that account for
 *   10 min): guessing from one address is throttled, while other addresses, and the owner's, are not affected;
 * - a point of the address budget (50 per 10 min): one address guessing across many accounts is throttled, but one
 *   person's typos behind an office NAT do not lock the team out;
 * - a point of the account-wide budget (20 per 10 min) — unless the address is known to the account (it signed in
 *   successfully from there in the last 14 days): a guess spread over many addresses is throttled, and the owner
 *   signing in from a known address is never refused because of it.
 * A success gives the address its point back, clears the account-at-address and account-wide counts and makes the
 * address known. Without a client address (no peer known) the attempt counts under the address "unknown" and is
 * never from a known source.
 */
export function loginSubject(req: PayloadRequest, email: unknown) {
  const account = typeof email === 'string' && email.trim() ? email.trim().toLowerCase() : undefined
  return { ip: req.headers ? clientIp(req.headers) : undefined, account }
}

const knownSources = () => getLimiter('login', 'knownSource')
const knownKey = (account: string, ip: string) => `${account}@${ip}`

/**
 * The account-at-address counters carry the account's unlock generation: an admin's unlock starts a new one, which
 * lifts every address's lock at once without having to list them (the store cannot list keys).
 */
async function accountAt(account: string, ip: string | undefined): Promise<string> {
  const generation = (await knownSources().get(`generation:${account}`))?.consumedPoints ?? 0
  return `${account}@${ip ?? 'unknown'}#${generation}`
}

async function isKnownSource(account: string, ip: string | undefined): Promise<boolean> {
  if (!ip) return false
  return (await knownSources().get(knownKey(account, ip))) !== null
}

export async function beginLoginAttempt({ req, email }: { req: PayloadRequest; email: unknown }): Promise<void> {
  const { ip, account } = loginSubject(req, email)
  const known = account ? await isKnownSource(account, ip) : false
  await enforceRateLimit({
    policy: 'login',
    req,
    ip,
    userAtIp: account ? await accountAt(account, ip) : undefined,
    user: known ? undefined : account,
    message: 'Too many failed login attempts; try again later.',
  })
}

export async function loginSucceeded({ req, email }: { req: PayloadRequest; email: unknown }): Promise<void> {
  const { ip, account } = loginSubject(req, email)
  if (account) {
    await resetRateLimit({ policy: 'login', user: account, userAtIp: await accountAt(account, ip) })
    const remember = resolvePolicy('login').knownSource?.duration ?? 0
    if (ip && remember > 0) await knownSources().set(knownKey(account, ip), 1, remember)
  }
  if (ip) await refundRateLimit({ policy: 'login', ip })
}

/** An admin's unlock: the account-wide count, and every address's count through a new generation. */
export async function clearLoginLock(account: string): Promise<void> {
  await resetRateLimit({ policy: 'login', user: account })
  const key = `generation:${account}`
  const next = ((await knownSources().get(key))?.consumedPoints ?? 0) + 1
  // Older generations' counters expire within the lock window; the generation only has to outlive them.
  await knownSources().set(key, next, resolvePolicy('login').userAtIp?.duration ?? LOGIN_LOCK_SECONDS)
}
