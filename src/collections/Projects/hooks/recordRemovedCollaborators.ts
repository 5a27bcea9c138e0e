import type { CollectionAfterChangeHook } from 'payload'

import { relationId, relationIds } from '../../../model/references'
import type { Project } from '../../../payload-types'
import { recordMembership } from '../../../records/memberships'

/**
 * Whoever leaves `collaborators` through a direct write of the list (the admin's edit view, REST, GraphQL) gets a
 * `removed` membership record, the source syncCollaborators recomputes the list from (src/records/memberships.ts): a
 * concurrent acceptance then cannot bring them back. The services' writes (membership changes, recomputes) keep
 * the records themselves and are marked `collaboratorsSync`.
 */
export const recordRemovedCollaborators: CollectionAfterChangeHook<Project> = async ({ doc, previousDoc, operation, req, context }) => {
  if (operation !== 'update' || context?.collaboratorsSync) return doc
  const now = new Set(relationIds(doc.collaborators))
  const owner = relationId(doc.createdBy)
  const removed = relationIds(previousDoc?.collaborators).filter((id) => !now.has(id) && id !== owner)
  for (const userId of removed) {
    // overrideAccess (in recordMembership): the membership record follows a change the caller was allowed to make
    await recordMembership({ payload: req.payload, req, projectId: String(doc.id), userId, status: 'removed' })
  }
  return doc
}
