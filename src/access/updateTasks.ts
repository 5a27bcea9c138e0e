import type { Access } from 'payload'

import { isApiKeyUser } from './roles'
import { isDocumentProjectMember } from './isDocumentProjectMember'

/**
 * Tasks: members of the task's project and admins; workers (API keys) claim and complete any task, limited by
 * isNotApiKeyField to the progress fields (status, progress, output, error, worker, completedAt).
 */
export const updateTasks: Access = async (args) => {
  if (isApiKeyUser(args.req.user)) return true
  return isDocumentProjectMember(args)
}
