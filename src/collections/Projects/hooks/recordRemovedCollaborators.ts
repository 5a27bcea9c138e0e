import type { CollectionAfterChangeHook } from 'payload'

import { randomUUID } from 'node:crypto'

import { relationId, relationIds } from '../../../model/references'
import type { Project } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/** Set on the writes of syncCollaborators (src/services/invitationService.ts), which keep the records themselves. */

/**
 * Whoever leaves `collaborators` (the owner or an admin removed them) gets a `removed` membership record, the
 * source syncCollaborators recomputes the list from: a concurrent acceptance then cannot bring them back.
 */
export const recordRemovedCollaborators: CollectionAfterChangeHook<Project> = async ({ doc, previousDoc, operation, req, context }) => {
  if (operation !== 'update' || context?.collaboratorsSync) return doc
  const now = new Set(relationIds(doc.collaborators))
  const owner = relationId(doc.createdBy)
  const removed = relationIds(previousDoc?.collaborators).filter((id) => !now.has(id) && id !== owner)
  for (const userId of removed) {
    await req.payload.create({
      collection: slugs.projectInvitations,
      data: {
        project: doc.id,
        kind: 'collaborator',
        email: `removed+${userId}@members.invalid`,
        status: 'removed',
        user: userId,
        respondedAt: new Date().toISOString(),
        pendingKey: `closed:${randomUUID()}`,
      },
      overrideAccess: true, // the membership record follows a change the caller was allowed to make
      req,
    })
  }
  return doc
}
