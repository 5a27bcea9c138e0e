import type { Access } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/** Projects: the owner (createdBy) and admins. */
export const isProjectOwner: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  return { createdBy: { equals: relationId(user!.id) } }
}
