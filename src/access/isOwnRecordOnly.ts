import type { Access, Where } from 'payload'

import { relationId } from '../model/references'

/**
 * Payload's per-user records (document locks, admin preferences), whose `user` is a polymorphic relationship: the
 * caller's own only, admins included.
 */
export const isOwnRecordOnly: Access = ({ req: { user } }) => {
  if (!user) return false
  const where: Where = { and: [{ 'user.value': { equals: relationId(user.id) } }, { 'user.relationTo': { equals: user.collection } }] }
  return where
}
