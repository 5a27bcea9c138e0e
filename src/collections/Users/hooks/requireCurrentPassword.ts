import type { CollectionBeforeOperationHook } from 'payload'

import { ValidationError } from 'payload'

import { isAdminUser } from '../../../access/roles'
import { relationId } from '../../../domain/references'
import { beginLoginAttempt, loginSucceeded } from '../../../lib/rateLimit/loginGuard'
import { slugs } from '../../../model/slugs'
import { passwordMatches } from '../passwordCheck'

/** The body field that carries the current password when changing it; never stored. */
export const CURRENT_PASSWORD_FIELD = 'currentPassword'

/**
 * Changing one's own password needs the current one (`currentPassword` next to `password`), so a stolen session or
 * an unattended browser cannot take the account over. Wrong guesses spend the account's login budget. An admin
 * setting another account's password, and server code (no user), are not asked. Payload then keeps only the
 * session that made the change (auth `useSessions`): every other session of the account ends.
 */
export const requireCurrentPassword: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'update' && operation !== 'updateByID') return args
  const data = (args as { data?: Record<string, unknown> }).data
  if (!data || typeof data !== 'object') return args
  const current = data[CURRENT_PASSWORD_FIELD]
  delete data[CURRENT_PASSWORD_FIELD]
  if (data.password === undefined || data.password === null || data.password === '' || !req.user) return args
  const targetId = relationId((args as { id?: unknown }).id)
  const self = relationId(req.user.id)
  if (isAdminUser(req.user) && targetId !== undefined && targetId !== self) return args
  // Bulk updates by non-admins reach only the caller's own account (Users update access), so they are checked too.
  // System code: the stored hash is hidden from every API read.
  const account = await req.payload.db.findOne<{ id: string; email?: string; hash?: string; salt?: string }>({
    collection: slugs.users,
    where: { id: { equals: self } },
    req,
  })
  const issue = (message: string) => new ValidationError({ collection: slugs.users, errors: [{ path: CURRENT_PASSWORD_FIELD, message }] })
  if (typeof current !== 'string' || current === '') throw issue('The current password is required to change the password.')
  await beginLoginAttempt({ req, email: account?.email })
  if (!(await passwordMatches({ password: current, hash: account?.hash, salt: account?.salt }))) {
    throw issue('The current password is not correct.')
  }
  await loginSucceeded({ req, email: account?.email })
  return args
}
