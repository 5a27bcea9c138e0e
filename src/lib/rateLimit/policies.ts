/**
 * Rate-limit policies: each has a budget per client IP and one per user (a user id, or for login and password
 * reset the account's email). Figures are `points` requests per `duration` seconds; once spent the key is blocked
 * for `blockDuration` seconds (0: until the window ends). Override any of them with the RATE_LIMITS environment
 * variable, a JSON object such as `{"graphql":{"ip":{"points":1000}}}`.
 */
export type Budget = { points: number; duration: number; blockDuration: number }
/**
 * `ip`: per client address; `user`: per user id or account; `userAtIp`: per account and address together (login);
 * `knownSource`: how long a successful login makes an address known to an account (login; one point marks it);
 * `project`: per project, whoever of its members spends it (paid work: execute, enqueue).
 */
export type Policy = { ip: Budget; user: Budget; userAtIp?: Budget; knownSource?: Budget; project?: Budget }

export const policyNames = ['login', 'registration', 'passwordReset', 'graphql', 'search', 'imageProcessing', 'execute', 'enqueue'] as const
export type PolicyName = (typeof policyNames)[number]

/** Payload's own lockout figures (auth.maxLoginAttempts 5, auth.lockTime 10 minutes), per account and address. */
export const LOGIN_MAX_FAILED_ATTEMPTS = 5
export const LOGIN_LOCK_SECONDS = 10 * 60
/** Failures from one address across all accounts (an office behind one NAT shares it). */
export const LOGIN_MAX_FAILED_PER_ADDRESS = 50
/** Failures on one account from addresses that never signed in to it (a distributed guess). */
export const LOGIN_MAX_FAILED_PER_ACCOUNT = 20
/** An address from which an account signed in stays known to it this long (the memory store's timers cap it at 24 days). */
export const LOGIN_KNOWN_SOURCE_SECONDS = 14 * 24 * 60 * 60

export const defaultPolicies: Record<PolicyName, Policy> = {
  // Failed logins (an attempt counts until it succeeds); see loginGuard.ts for how the budgets combine.
  login: {
    userAtIp: { points: LOGIN_MAX_FAILED_ATTEMPTS, duration: LOGIN_LOCK_SECONDS, blockDuration: LOGIN_LOCK_SECONDS },
    ip: { points: LOGIN_MAX_FAILED_PER_ADDRESS, duration: LOGIN_LOCK_SECONDS, blockDuration: LOGIN_LOCK_SECONDS },
    user: { points: LOGIN_MAX_FAILED_PER_ACCOUNT, duration: LOGIN_LOCK_SECONDS, blockDuration: LOGIN_LOCK_SECONDS },
    knownSource: { points: 1, duration: LOGIN_KNOWN_SOURCE_SECONDS, blockDuration: 0 },
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
  // Image uploads over HTTP, in megapixels decoded (every frame counted; at least 1 per upload): the CPU sharp
  // spends measuring, re-encoding and thumbnailing is about proportional to it.
  imageProcessing: {
    ip: { points: 600, duration: 60, blockDuration: 0 },
    user: { points: 300, duration: 60, blockDuration: 0 },
  },
  // A prompt run inline (`execute?wait=true`): each one is a provider call paid for by the project.
  execute: {
    ip: { points: 30, duration: 60, blockDuration: 0 },
    user: { points: 20, duration: 60, blockDuration: 0 },
    project: { points: 30, duration: 60, blockDuration: 0 },
  },
  // A task enqueued by a person, by any path (/api/v1/tasks, `execute`, REST, GraphQL, the admin).
  enqueue: {
    ip: { points: 120, duration: 60, blockDuration: 0 },
    user: { points: 60, duration: 60, blockDuration: 0 },
    project: { points: 100, duration: 60, blockDuration: 0 },
  },
}

type Overrides = Partial<Record<PolicyName, Partial<Record<keyof Policy, Partial<Budget>>>>>

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
  const merged: Policy = { ip: { ...base.ip, ...override.ip }, user: { ...base.user, ...override.user } }
  if (base.userAtIp) merged.userAtIp = { ...base.userAtIp, ...override.userAtIp }
  if (base.knownSource) merged.knownSource = { ...base.knownSource, ...override.knownSource }
  if (base.project) merged.project = { ...base.project, ...override.project }
  return merged
}
