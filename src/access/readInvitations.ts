import type { Access, Where } from 'payload'

import { isAdminUser, isPerson } from './roles'
import { relationId } from '../domain/references'

/**
 * Invitations: the person they are addressed to (by email) and the person who sent them; admins all. The project
 * itself stays unreadable to an invitee until they accept (Projects' own rule).
 */
export const readInvitations: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  const email = String((user as { email?: string }).email ?? '').toLowerCase()
  const where: Where = { or: [{ email: { equals: email } }, { invitedBy: { equals: relationId(user!.id) } }] }
  return where
}
