import type { FieldAccess } from 'payload'

import { isAdminUser } from '../model/roles'
import { relationId } from '../model/references'

/** Field-level read on a user document: only its own user and admins (co-members see name and email only). */
export const isSelfOrAdminField: FieldAccess = ({ req: { user }, doc }) => {
  if (isAdminUser(user)) return true
  return Boolean(user && doc && relationId(doc.id) === relationId(user.id))
}
