import type { Access } from 'payload'

import { getMemberProjectIds, isAdminUser, isPerson, relationId } from './utilities'

/**
 * Creating a project-scoped document: only into a project the caller owns or collaborates on (admins anywhere).
 * Without data (Payload's permission probe for the admin UI) any person may try.
 */
export const canCreateInProject: Access = async ({ req, data }) => {
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  if (data === undefined) return true
  const project = relationId(data?.project)
  if (!project) return false
  return (await getMemberProjectIds(req)).includes(project)
}
