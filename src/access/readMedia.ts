import type { Access, Where } from 'payload'

import { getMemberProjectIds, getOpenTaskProjectIds } from './memberships'
import { isAdminUser, isApiKeyUser, isPerson } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Media: with a project, its members (admins all); without a project, the person who uploaded it.
 * A worker (API key) reads the media of projects that have an open task, the inputs of its generation work.
 */
export const readMedia: Access = async ({ req }) => {
  const { user } = req
  if (isAdminUser(user)) return true
  if (isApiKeyUser(user)) return { project: { in: await getOpenTaskProjectIds(req) } }
  if (!isPerson(user)) return false
  const where: Where = {
    or: [
      { project: { in: await getMemberProjectIds(req) } },
      { and: [{ project: { exists: false } }, { createdBy: { equals: relationId(user!.id) } }] },
    ],
  }
  return where
}
