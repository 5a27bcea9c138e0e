import type { Access, Where } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Invitations: the person they are addressed to (by email, sent since the account has had that address: one that
 * reached the address before is not this account's) and the person who sent them; admins all. The project itself
 * stays unreadable to an invitee until they accept (Projects' own rule), and accepting needs the mailed token.
 */
export const readInvitations: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  const email = String((user as { email?: string }).email ?? '').toLowerCase()
  const account = user as { emailSince?: string | null; createdAt?: string }
  const since = account.emailSince ?? account.createdAt
  const addressed: Where = since ? { and: [{ email: { equals: email } }, { createdAt: { greater_than_equal: since } }] } : { email: { equals: email } }
  const where: Where = { or: [addressed, { invitedBy: { equals: relationId(user!.id) } }] }
  return where
}
