import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Creating a project-scoped document: a person into a project they own or collaborate on (admins anywhere). Data
 * that names no project — Payload's permission probe for the admin UI, a duplicate, a scene or medium whose project
 * a hook derives from its episode — lets the person through here: checkProjectWrite decides on the derived project,
 * after derivation, before anything is stored.
 */
export const canCreateInProject: Access = async ({ req, data }) => {
  if (isAdminUser(req.user)) return true
  if (!isPerson(req.user)) return false
  const project = relationId(data?.project)
  if (!project) return true
  return (await getMemberProjectIds(req)).includes(project)
}
