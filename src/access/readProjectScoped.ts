import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'

/**
 * Episodes, Characters, Scenes: members of the referenced project and admins. Producers are tenants like everyone
 * else (no cross-project read). Returns a `project in ids` constraint, so lists and counts only hold readable rows.
 */
export const readProjectScoped: Access = async ({ req }) => {
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  return { project: { in: await getMemberProjectIds(req) } }
}
