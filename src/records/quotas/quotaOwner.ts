import type { PayloadRequest, TypedUser } from 'payload'

import { slugs } from '../../model/slugs'
import { isAdminUser } from '../../model/roles'
import { relationId } from '../../model/references'

/**
 * Quotas bind people acting through the API: admins and server code (no user) are not limited. When they apply,
 * the limits come from the subscription of the project's owner (the account that pays for the project).
 */
export function areQuotasEnforced(req: PayloadRequest): boolean {
  return Boolean(req.user) && !isAdminUser(req.user)
}

export async function loadOwner(req: PayloadRequest, ownerId: string | undefined): Promise<TypedUser | null> {
  if (!ownerId) return null
  if (req.user && relationId(req.user.id) === ownerId) return req.user
  // overrideAccess: reading the owner's subscription is a system lookup (a collaborator may not read it).
  const owner = await req.payload.findByID({ collection: slugs.users, id: ownerId, depth: 0, overrideAccess: true, disableErrors: true, req })
  return (owner as TypedUser | null) ?? null
}
