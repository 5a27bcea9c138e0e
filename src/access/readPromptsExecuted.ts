import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'

/** PromptsExecuted: members of the project named by its `projectId` text field, and admins. */
export const readPromptsExecuted: Access = async ({ req }) => {
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  return { projectId: { in: await getMemberProjectIds(req) } }
}
