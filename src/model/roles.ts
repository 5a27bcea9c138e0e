import type { TypedUser } from 'payload'

import type { roles } from './options'

export type Role = (typeof roles)[number]

type MaybeUser = (Partial<TypedUser> & { _strategy?: string }) | null | undefined

/**
 * A request authenticated with an API key (Payload's `api-key` strategy). Such a principal is a worker or an agent:
 * it never gets the role privileges of the user that owns the key, only the worker rights listed in docs/ACCESS.md.
 */
export function isApiKeyUser(user: MaybeUser): boolean {
  return user?._strategy === 'api-key'
}

/** Role check for people (JWT/cookie sessions); a request made with an API key has no role privileges. */
export function hasRole(user: MaybeUser, ...wanted: Role[]): boolean {
  if (!user || isApiKeyUser(user)) return false
  return wanted.includes((user as { role?: Role }).role as Role)
}

export const isAdminUser = (user: MaybeUser): boolean => hasRole(user, 'admin')

/** Producers manage prompt templates (and are tenants like everyone else otherwise); admins can do everything. */
export const isProducerOrAdminUser = (user: MaybeUser): boolean => hasRole(user, 'producer', 'admin')

/** A signed-in person (not an API key). */
export const isPerson = (user: MaybeUser): boolean => Boolean(user) && !isApiKeyUser(user)
