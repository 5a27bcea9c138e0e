import type { Access } from 'payload'

import { isApiKeyUser } from '../model/roles'
import { isDocumentProjectMember } from './isDocumentProjectMember'

/**
 * Tasks: members of the task's project and admins, and of the task only its definition (the state fields are the
 * engine's: isEngineStateField, isEngineOwnedField). A worker (API key) changes no task through REST, GraphQL or
 * the admin: it claims, renews and settles through the engine (/api/v1/tasks/claim, /{id}/heartbeat, /complete,
 * /fail), which checks its lease.
 */
export const updateTasks: Access = async (args) => {
  if (isApiKeyUser(args.req.user)) return false
  return isDocumentProjectMember(args)
}
