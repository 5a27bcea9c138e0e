import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Updating or deleting a project-scoped document: members of its project (admins all). A change of `project`
 * must point at a project the caller is a member of too, so nobody moves a document into someone else's project.
 */
export const isDocumentProjectMember: Access = async ({ req, data }) => {
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  const projectIds = await getMemberProjectIds(req)
  if (data && 'project' in data) {
    const target = relationId(data.project)
    if (!target || !projectIds.includes(target)) return false
  }
  return { project: { in: projectIds } }
}
