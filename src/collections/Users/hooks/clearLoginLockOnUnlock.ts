import type { CollectionAfterOperationHook } from 'payload'

import { clearLoginLock } from '../../../lib/rateLimit/loginGuard'

/** An admin's unlock (POST /api/users/unlock) also lifts the rate limiter's failed-login lock on that account. */
export const clearLoginLockOnUnlock: CollectionAfterOperationHook = async ({ args, operation, result }) => {
  if (operation !== 'unlock' || !result) return result
  const email = (args as { data?: { email?: unknown } }).data?.email
  if (typeof email === 'string' && email.trim()) await clearLoginLock(email.trim().toLowerCase())
  return result
}
