import type { Access } from 'payload'

import { isAdminUser } from '../model/roles'
import { relationId } from '../model/references'

/**
 * Users: admins read everyone; anyone else only their own account (an API key: the account that owns it). The
 * people one shares a project with are listed, as `{ id, name }` only, by the project's collaborators endpoint
 * (GET /api/v1/projects/{id}/collaborators), never through this collection — so populating `createdBy` or
 * `collaborators` leaves another account's id unpopulated.
 */
export const readUsers: Access = ({ req: { user } }) => {
  if (!user) return false
  if (isAdminUser(user)) return true
  return { id: { equals: relationId(user.id) } }
}
