import type { Access } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { membershipWhere } from './memberships'
import { relationId } from '../model/references'

/** Projects: the owner and the collaborators (and admins). */
export const isProjectMember: Access = ({ req: { user } }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  return membershipWhere(relationId(user!.id)!)
}
