import type { Access } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/** Users: a person may change their own account; admins any. */
export const isSelfOrAdmin: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  return { id: { equals: relationId(user!.id) } }
}
