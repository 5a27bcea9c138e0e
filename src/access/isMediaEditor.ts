import type { Access, Where } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Updating or deleting media: members of its project, or its uploader when it has no project (admins all). Moving
 * media into a project needs membership of that project.
 */
export const isMediaEditor: Access = async ({ req, data }) => {
  const { user } = req
  if (isAdminUser(user)) return true
  if (!isPerson(user)) return false
  const projectIds = await getMemberProjectIds(req)
  if (data && relationId(data.project) && !projectIds.includes(relationId(data.project)!)) return false
  const where: Where = {
    or: [
      { project: { in: projectIds } },
      { and: [{ project: { exists: false } }, { createdBy: { equals: relationId(user!.id) } }] },
    ],
  }
  return where
}
