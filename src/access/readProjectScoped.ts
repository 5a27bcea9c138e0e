import type { Access } from 'payload'

import { getMemberProjectIds, isPerson, isProducerOrAdminUser } from './utilities'

/**
 * Episodes, Characters, Scenes: members of the referenced project; producers (oversight of every project) and
 * admins read all. Returns a `project in ids` constraint, so lists and counts only hold readable rows.
 */
export const readProjectScoped: Access = async ({ req }) => {
  if (isProducerOrAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  return { project: { in: await getMemberProjectIds(req) } }
}
