import type { CollectionBeforeOperationHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { isAdminUser } from '../../../model/roles'
import { relationId } from '../../../model/references'
import { clientIp } from '../../../lib/rateLimit/clientIp'
import { enforceRateLimit } from '../../../lib/rateLimit/consume'
import { beginLoginAttempt, loginSucceeded } from '../../../lib/rateLimit/loginGuard'
import { slugs } from '../../../model/slugs'
import { passwordMatches } from '../passwordCheck'

/** The body field that carries the current password when changing the password or the email; never stored. */
export const CURRENT_PASSWORD_FIELD = 'currentPassword'

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/**
 * Changing one's own password or email needs the current password (`currentPassword` next to `password` or
 * `email`), so a stolen session or an unattended browser cannot take the account over. Wrong guesses spend the
 * account's login budget. An admin changing another account, and server code (no user), are not asked. Payload then
 * keeps only the session that made a password change (auth `useSessions`): every other session of the account ends.
 *
 * The email is never written by the update itself: a different address is taken out of the data and noted in
 * `req.context.emailChangeRequest`; after the update, startEmailChange mails a confirmation token to it, and the
 * account moves only when that token comes back (src/records/emailChange.ts) — whoever asks, admins included. The
 * answer is the same whether the address is free or taken. Server code (no user) writes the email directly.
 */
export const requireCurrentPassword: CollectionBeforeOperationHook = async ({ args, operation, req }) => {
  if (operation !== 'update' && operation !== 'updateByID') return args
  const data = (args as { data?: Record<string, unknown> }).data
  if (!data || typeof data !== 'object') return args
  const current = data[CURRENT_PASSWORD_FIELD]
  delete data[CURRENT_PASSWORD_FIELD]
  if (!req.user) return args
  const issue = (path: string, message: string) => new FieldValidationError({ collection: slugs.users, errors: [{ path, message }] })
  const targetId = relationId((args as { id?: unknown }).id)
  const self = relationId(req.user.id)

  let isChangingEmail = false
  if (data.email !== undefined) {
    const next = typeof data.email === 'string' ? data.email.trim().toLowerCase() : ''
    delete data.email
    // Payload names both update operations 'update' here; a bulk update has no id.
    if (targetId === undefined) throw issue('email', 'Change the email of one account at a time (PATCH /api/users/{id}).')
    if (!EMAIL_SHAPE.test(next) || next.length > 254) throw issue('email', 'A valid email address is required.')
    // System read: the stored address of the account being updated (access is checked by the update itself).
    const target = await req.payload.db.findOne<{ id: string; email?: string }>({ collection: slugs.users, where: { id: { equals: targetId } }, req })
    if (target && target.email?.toLowerCase() !== next) {
      isChangingEmail = true
      req.context.emailChangeRequest = { userId: String(target.id), email: next }
    }
  }
  const isChangingPassword = !(data.password === undefined || data.password === null || data.password === '')
  if (!isChangingPassword && !isChangingEmail) return args
  if (isAdminUser(req.user) && targetId !== undefined && targetId !== self) return args
  // Bulk updates by non-admins reach only the caller's own account (Users update access), so they are checked too.
  // System code: the stored hash is hidden from every API read.
  const account = await req.payload.db.findOne<{ id: string; email?: string; hash?: string; salt?: string }>({
    collection: slugs.users,
    where: { id: { equals: self } },
    req,
  })
  const what = isChangingPassword ? 'password' : 'email'
  if (typeof current !== 'string' || current === '') throw issue(CURRENT_PASSWORD_FIELD, `The current password is required to change the ${what}.`)
  await beginLoginAttempt({ req, email: account?.email })
  if (!(await passwordMatches({ password: current, hash: account?.hash, salt: account?.salt }))) {
    throw issue(CURRENT_PASSWORD_FIELD, 'The current password is not correct.')
  }
  await loginSucceeded({ req, email: account?.email })
  // Each email change mails two addresses: the password-reset budget (per address and per account) keeps an account
  // from flooding someone's mailbox with confirmation requests.
  if (isChangingEmail) await enforceRateLimit({ policy: 'passwordReset', req, ip: req.headers ? clientIp(req.headers) : undefined, user: self })
  return args
}
