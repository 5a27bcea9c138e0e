import type { Access } from 'payload'

import { getMemberProjectIds, isApiKeyUser, isPerson, isProducerOrAdminUser } from './utilities'

/** Tasks: members of the task's project (producers and admins all); workers (API keys) read the whole queue. */
export const readTasks: Access = async ({ req }) => {
  const { user } = req
  if (isProducerOrAdminUser(user) || isApiKeyUser(user)) return true
  if (!isPerson(user)) return false
  return { project: { in: await getMemberProjectIds(req) } }
}
