import type { CollectionAfterChangeHook } from 'payload'

import { slugs } from '../../../model/slugs'

/**
 * FerretDB has no transactions, so two registrations racing on an empty database could both be made admin by
 * assignFirstUserAdmin. After the insert, a user made admin that way stays admin only if it is the oldest account;
 * otherwise it is demoted at once. Admins created deliberately (by an admin or server code) are left alone.
 */
export const keepSingleFirstAdmin: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  // `doc` has been through field read access (an anonymous registrant cannot read `role`), so the flag decides.
  if (operation !== 'create' || req.context.promotedFirstUser !== true) return doc
  delete req.context.promotedFirstUser
  // overrideAccess: a system consistency check over all accounts.
  const { docs } = await req.payload.find({
    collection: slugs.users,
    sort: ['createdAt', 'id'],
    limit: 1,
    depth: 0,
    select: { email: true },
    overrideAccess: true,
    req,
  })
  if (docs[0] && String(docs[0].id) !== String(doc.id)) {
    await req.payload.update({ collection: slugs.users, id: doc.id, data: { role: 'user' }, overrideAccess: true, req })
    return 'role' in doc ? { ...doc, role: 'user' } : doc
  }
  return doc
}
