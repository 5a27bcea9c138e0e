import type { Access } from 'payload'

import { isPerson, isProducerOrAdminUser, membershipWhere, relationId } from './utilities'

/** Projects: owner and collaborators; producers (oversight) and admins read every project. */
export const readProjects: Access = ({ req: { user } }) => {
  if (isProducerOrAdminUser(user)) return true
  if (!isPerson(user)) return false
  return membershipWhere(relationId(user!.id)!)
}
