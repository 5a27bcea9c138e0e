import type { Access } from 'payload'

import { getOpenTaskProjectIds, isAdminUser, isApiKeyUser } from './utilities'

/**
 * PromptsExecuted is append-only and written by system code: server code (overrideAccess) and workers (API keys)
 * logging a run for a project that has an open task. Admins may too; people may not.
 */
export const canLogPromptExecution: Access = async ({ req, data }) => {
  const { user } = req
  if (isAdminUser(user)) return true
  if (!isApiKeyUser(user)) return false
  if (data === undefined) return true
  const projectId = typeof data?.projectId === 'string' ? data.projectId : undefined
  return Boolean(projectId && (await getOpenTaskProjectIds(req)).includes(projectId))
}
