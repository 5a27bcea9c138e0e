import type { CollectionBeforeChangeHook } from 'payload'

import { slugs } from '../../../model/slugs'

/** req.context flag: this request's user was made admin as the first account (keepSingleFirstAdmin checks it). */

/** The first user ever created becomes admin (whatever the request said); everyone after starts as a `user`. */
export const assignFirstUserAdmin: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  // overrideAccess: counting all accounts is a system check; the caller may not be allowed to list users.
  const { totalDocs } = await req.payload.count({ collection: slugs.users, overrideAccess: true, req })
  if (totalDocs === 0) {
    req.context.promotedFirstUser = true
    return { ...data, role: 'admin' }
  }
  return data
}
