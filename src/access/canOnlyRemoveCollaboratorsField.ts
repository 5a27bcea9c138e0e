import type { FieldAccess } from 'payload'

import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

const ids = (value: unknown): string[] => (Array.isArray(value) ? value.map(relationId).filter((id): id is string => Boolean(id)) : [])

/**
 * Field-level update of a project's `collaborators`: admins change it freely; the owner may only remove members
 * (a list that adds anyone is dropped from the write). People join by accepting an invitation.
 */
export const canOnlyRemoveCollaboratorsField: FieldAccess = ({ req: { user }, doc, siblingData }) => {
  if (isAdminUser(user)) return true
  if (!isPerson(user) || !doc) return false
  if (relationId(doc.createdBy) !== relationId(user!.id)) return false
  const current = new Set(ids(doc.collaborators))
  return ids(siblingData?.collaborators).every((id) => current.has(id))
}
