import type { Access } from 'payload'

import { getMemberProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser, isPerson } from '../model/roles'

/** Tasks: members of the task's project and admins; workers (API keys) read the whole queue. */
export const readTasks: Access = async ({ req }) => {
  const { user } = req
  if (isAdminUser(user) || isApiKeyUser(user)) return true
  if (!isPerson(user)) return false
  return { project: { in: await getMemberProjectIds(req) } }
}
