import { createLocalReq, type Payload, type PayloadRequest } from 'payload'

import type { User } from '../payload-types'

import { UnauthorizedError } from '../errors'
import { slugs } from '../model/slugs'

/**
 * Who a service call acts for. Services pass `user` with `overrideAccess: false` on every Local API call, so the
 * collections' access rules decide what the caller sees; a bypass (scripts, jobs) must be written out explicitly.
 */
export type Actor = {
  payload: Payload
  user: User | null
  /** The request the calls belong to (route handlers pass one), so Payload's per-request memos are shared. */
  req?: PayloadRequest
}

export type AuthenticatedActor = Actor & { user: User }

/**
 * The request a service's lower-level calls (access lookups, domain writes) run under: the caller's own when a route
 * passed one, so per-request memos are shared; otherwise a local request carrying the caller.
 */
export async function requestOf(actor: Actor): Promise<PayloadRequest> {
  return actor.req ?? createLocalReq({ user: actor.user ?? undefined }, actor.payload)
}

export function requireUser(actor: Actor): AuthenticatedActor {
  if (!actor.user) throw new UnauthorizedError()
  return actor as AuthenticatedActor
}

/**
 * Everything the access rules depend on about the caller, as a cache-key part: the account, how it signed in (an API
 * key is a worker with none of its owner's rights), its role, and the account's version (a role or subscription
 * change is a new key). A cached read is only ever served to the principal that loaded it.
 */
export function principalKey(user: User): string {
  const strategy = (user as User & { _strategy?: string })._strategy ?? 'local-jwt'
  return [user.id, strategy, user.role, user.updatedAt].join(':')
}

type StoredAccount = {
  id: string
  role?: string
  salt?: string
  hash?: string
  enableAPIKey?: boolean
  apiKeyIndex?: string
  sessions?: { id: string; expiresAt?: string }[]
}

/** What a long-lived request (an event stream) re-checks of its principal: the stored account as it is now. */
export type PrincipalCheck = () => Promise<User | null>

/**
 * A check of the principal behind `actor`, to run again and again while a long-lived request lasts: it re-reads the
 * account and answers the person as they are now — or null once anything the grant rested on changed since the
 * first call: the account is gone, its role changed (a demoted admin), its password changed, the browser session
 * that signed the request ended (logout, "log out everywhere", a password change elsewhere), or — for an API key —
 * the key was disabled or replaced. Membership is then decided on the fresh account by the caller.
 */
export async function principalCheck({ payload, user }: { payload: Payload; user: User }): Promise<PrincipalCheck> {
  const principal = user as User & { _strategy?: string; _sid?: string }
  // System reads: the password hash, key index and session ids are the account's own secrets, compared, never returned.
  const read = () => payload.db.findOne<StoredAccount>({ collection: slugs.users, where: { id: { equals: principal.id } } })
  const fingerprint = (account: StoredAccount) =>
    JSON.stringify([account.role, account.salt, account.hash, principal._strategy === 'api-key' ? [account.enableAPIKey, account.apiKeyIndex] : null])
  const initial = await read()
  const expected = initial ? fingerprint(initial) : undefined
  return async () => {
    const now = await read()
    if (!now || fingerprint(now) !== expected) return null
    if (principal._sid && !now.sessions?.some((session) => session.id === principal._sid && (!session.expiresAt || Date.parse(session.expiresAt) > Date.now()))) {
      return null
    }
    return { ...(now as unknown as User), collection: 'users', _strategy: principal._strategy, _sid: principal._sid } as User
  }
}
