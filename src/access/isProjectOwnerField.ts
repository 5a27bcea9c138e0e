import type { FieldAccess } from 'payload'

import { isAdminUser, isPerson, relationId } from './utilities'

/**
 * Field-level update of a project's `createdBy` and `collaborators`: its owner and admins. On create the caller
 * is the owner (createdBy defaults to them), so the rule only narrows updates.
 */
export const isProjectOwnerField: FieldAccess = ({ req: { user }, doc }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  if (!doc) return true
  return relationId(doc.createdBy) === relationId(user!.id)
}
