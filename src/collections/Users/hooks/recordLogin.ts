import type { CollectionAfterLoginHook } from 'payload'

import { recordAudit } from '../../../audit/recordAudit'
import { loginSucceeded } from '../../../lib/rateLimit/loginGuard'

/** A successful login clears the account's failed attempts (as Payload does) and is audited. */
export const recordLogin: CollectionAfterLoginHook = async ({ collection, req, user }) => {
  const email = typeof user.email === 'string' ? user.email.toLowerCase() : ''
  await loginSucceeded({ req, email })
  const pending = req.context.pendingLogins ?? []
  const index = pending.indexOf(email)
  if (index >= 0) req.context.pendingLogins = pending.filter((_, i) => i !== index)
  await recordAudit({ req, entry: { operation: 'login', collection: collection.slug, documentId: String(user.id) } })
  return user
}
