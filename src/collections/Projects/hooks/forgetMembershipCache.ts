import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { forgetMemberships } from '../../../access/memberships'

/** Memberships may have changed: later access checks in the same request look them up again. */
export const forgetMembershipCacheAfterChange: CollectionAfterChangeHook = ({ doc, req }) => {
  forgetMemberships(req)
  return doc
}

export const forgetMembershipCacheAfterDelete: CollectionAfterDeleteHook = ({ doc, req }) => {
  forgetMemberships(req)
  return doc
}
