import type { Access } from 'payload'

import { getCoMemberUserIds, isAdminUser, isApiKeyUser, relationId } from './utilities'

/**
 * Users: admins read everyone; a person reads themselves and the people they share a project with (whose other
 * fields are hidden by isSelfOrAdminField, so only name and email show); an API key reads its own user.
 */
export const readUsers: Access = async ({ req }) => {
  const { user } = req
  if (!user) return false
  if (isAdminUser(user)) return true
  const self = relationId(user.id)!
  if (isApiKeyUser(user)) return { id: { equals: self } }
  return { id: { in: await getCoMemberUserIds(req) } }
}
