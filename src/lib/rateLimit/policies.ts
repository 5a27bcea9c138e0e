/**
 * Rate-limit policies: each has a budget per client IP and one per user (a user id, or for login and password
 * reset the account's email). Figures are `points` requests per `duration` seconds; once spent the key is blocked
 * for `blockDuration` seconds (0: until the window ends). Override any of them with the RATE_LIMITS environment
 * variable, a JSON object such as `{"graphql":{"ip":{"points":1000}}}`.
 */
export type Budget = { points: number; duration: number; blockDuration: number }
export type Policy = { ip: Budget; user: Budget }

export const policyNames = ['login', 'registration', 'passwordReset', 'graphql', 'search'] as const
export type PolicyName = (typeof policyNames)[number]

/** Payload's own lockout defaults (auth.maxLoginAttempts 5, auth.lockTime 10 minutes), kept on every engine. */
export const LOGIN_MAX_FAILED_ATTEMPTS = 5
export const LOGIN_LOCK_SECONDS = 10 * 60

export const defaultPolicies: Record<PolicyName, Policy> = {
  // Failed logins (an attempt counts until it succeeds): the sixth within the lock window is refused for 10 min.
  login: {
    ip: { points: LOGIN_MAX_FAILED_ATTEMPTS, duration: LOGIN_LOCK_SECONDS, blockDuration: LOGIN_LOCK_SECONDS },
    user: { points: LOGIN_MAX_FAILED_ATTEMPTS, duration: LOGIN_LOCK_SECONDS, blockDuration: LOGIN_LOCK_SECONDS },
  },
  registration: {
    ip: { points: 10, duration: 60 * 60, blockDuration: 0 },
    user: { points: 10, duration: 60 * 60, blockDuration: 0 },
  },
  passwordReset: {
    ip: { points: 5, duration: 15 * 60, blockDuration: 0 },
    user: { points: 3, duration: 60 * 60, blockDuration: 0 },
  },
  graphql: {
    ip: { points: 300, duration: 60, blockDuration: 0 },
    user: { points: 300, duration: 60, blockDuration: 0 },
  },
  search: {
    ip: { points: 60, duration: 60, blockDuration: 0 },
    user: { points: 60, duration: 60, blockDuration: 0 },
  },
}

type Overrides = Partial<Record<PolicyName, { ip?: Partial<Budget>; user?: Partial<Budget> }>>

function readOverrides(raw: string | undefined): Overrides {
  if (!raw) return {}
  try {
    return JSON.parse(raw) as Overrides
  } catch {
    throw new Error('RATE_LIMITS is not valid JSON')
  }
}

/** The policy in force: defaults merged with RATE_LIMITS. */
export function resolvePolicy(name: PolicyName, env: Record<string, string | undefined> = process.env): Policy {
  const override = readOverrides(env.RATE_LIMITS)[name] ?? {}
  const base = defaultPolicies[name]
  return { ip: { ...base.ip, ...override.ip }, user: { ...base.user, ...override.user } }
}
