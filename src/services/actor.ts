import { createLocalReq, type Payload, type PayloadRequest } from 'payload'

import type { User } from '../payload-types'

import { UnauthorizedError } from '../errors'

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
