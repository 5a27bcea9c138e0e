import type { PayloadRequest } from 'payload'

import { RateLimiterRes } from 'rate-limiter-flexible'

import type { PolicyName } from './policies'

import { RateLimitedError } from '../../errors'

import { metrics } from '../metrics/registry'
import { getLimiter, type Scope } from './limiters'

export type RateLimitSubject = {
  /** Client address (clientIp); the IP budget is skipped when unknown (Local API calls). */
  ip?: string
  /** User id, or the account's email for login and password reset. */
  user?: string
  /** Account and address together (`<email>@<ip>`), for login. */
  userAtIp?: string
  /** Project id, for the policies with a per-project budget (execute, enqueue). */
  project?: string
}

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; scope: Scope }

const retryAfter = (ms: number) => Math.max(1, Math.ceil(ms / 1000))

function subjectKeys({ ip, user, userAtIp, project }: RateLimitSubject): [Scope, string][] {
  const keys: [Scope, string][] = []
  if (userAtIp) keys.push(['userAtIp', userAtIp.toLowerCase()])
  if (ip) keys.push(['ip', ip])
  if (user) keys.push(['user', user.toLowerCase()])
  if (project) keys.push(['project', project])
  return keys
}

/** Spends `points` of the policy's IP and user budgets; says whether the request may go on and, if not, for how long. */
export async function consumeRateLimit({
  policy,
  points = 1,
  ...subject
}: RateLimitSubject & { policy: PolicyName; points?: number }): Promise<RateLimitDecision> {
  for (const [scope, key] of subjectKeys(subject)) {
    try {
      await getLimiter(policy, scope).consume(key, points)
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) {
        metrics().rateLimitRejections.inc({ policy, scope })
        return { allowed: false, retryAfterSeconds: retryAfter(rejection.msBeforeNext), scope }
      }
      throw rejection
    }
  }
  return { allowed: true }
}

/** Gives points back (a login that succeeded was not a failed attempt). */
export async function refundRateLimit({ policy, points = 1, ...subject }: RateLimitSubject & { policy: PolicyName; points?: number }) {
  for (const [scope, key] of subjectKeys(subject)) await getLimiter(policy, scope).reward(key, points)
}

/** Forgets a key's history (Payload resets an account's failed-login count on a successful login). */
export async function resetRateLimit({ policy, ...subject }: RateLimitSubject & { policy: PolicyName }) {
  for (const [scope, key] of subjectKeys(subject)) await getLimiter(policy, scope).delete(key)
}

/**
 * For Payload hooks and operations: throws a 429 RateLimitedError (clean JSON through REST and GraphQL) and puts
 * Retry-After on the response when the budget is spent.
 */
export async function enforceRateLimit({
  policy,
  req,
  message,
  ...subject
}: RateLimitSubject & { policy: PolicyName; req?: PayloadRequest; message?: string; points?: number }): Promise<void> {
  const decision = await consumeRateLimit({ policy, ...subject })
  if (decision.allowed) return
  if (req) {
    req.responseHeaders ??= new Headers()
    req.responseHeaders.set('Retry-After', String(decision.retryAfterSeconds))
  }
  throw new RateLimitedError({ retryAfterSeconds: decision.retryAfterSeconds, policy, message })
}
