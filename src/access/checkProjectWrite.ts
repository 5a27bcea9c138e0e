import type { PayloadRequest } from 'payload'

import { ProjectWriteForbidden } from '../errors'
import { getMemberProjectIds, getOpenTaskProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser } from '../model/roles'
import { relationId } from '../model/references'

/**
 * The one check of the project a write lands in, run after every hook that derives it (a scene takes its episode's
 * project, media the project of its episode, scene or character) — on create and on update, in every
 * project-scoped collection, through the `project` (or `projectId`) field's validation, the only step that runs
 * after the collection hooks and knows whether access is overridden. System code (overrideAccess) and admins write
 * anywhere; a person only into projects they own or collaborate on; an API key (worker) only into a project that has
 * an open task, and never moves a document to another project.
 */
export async function checkProjectWrite({
  req,
  value,
  previousValue,
  operation,
  overrideAccess,
}: {
  req: PayloadRequest
  value: unknown
  previousValue: unknown
  operation?: string
  overrideAccess?: boolean
}): Promise<void> {
  if (overrideAccess || !req.user || isAdminUser(req.user)) return
  const projectId = relationId(value)
  const unchanged = operation === 'update' && projectId === relationId(previousValue)
  if (!projectId) return // media of no project; a required project is reported by the field's own validation
  if (isApiKeyUser(req.user)) {
    if (unchanged || (operation === 'create' && (await getOpenTaskProjectIds(req)).includes(projectId))) return
    throw new ProjectWriteForbidden()
  }
  if ((await getMemberProjectIds(req)).includes(projectId)) return
  throw new ProjectWriteForbidden()
}
