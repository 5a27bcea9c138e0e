import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'
import { isSessionOwner } from './isSessionOwner'

/** Updating a session: its own user (admins any); moving it to another project needs membership of that project. */
export const isSessionOwnerInProject: Access = async (args) => {
  const { req, data } = args
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  if (data && 'project' in data) {
    const target = relationId(data.project)
    if (!target || !(await getMemberProjectIds(req)).includes(target)) return false
  }
  return isSessionOwner(args)
}
