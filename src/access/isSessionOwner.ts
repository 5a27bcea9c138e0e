import type { Access } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/** Sessions (conversational UI state): their own user and admins only — not even the project's other members. */
export const isSessionOwner: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  return { user: { equals: relationId(user!.id) } }
}
