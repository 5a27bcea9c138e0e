import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import type { Project } from '../../../payload-types'

import { runAfterCommit } from '../../../db/afterCommit'
import { cacheTags, getCache } from '../../../lib/cache'

/**
 * Every write to a project, from services, REST, GraphQL or the admin, drops its cached reads on every instance
 * before the write's response is sent: once the write has committed (at once without a transaction), so that no
 * read between the write and its commit can refill the cache with the old document.
 */
const invalidate = (req: PayloadRequest, id: string | number) => {
  const tag = cacheTags.project(String(id))
  return runAfterCommit({ req, key: `cache ${tag}`, task: () => getCache().invalidate({ tags: [tag] }) })
}

export const invalidateProjectCacheAfterChange: CollectionAfterChangeHook<Project> = async ({ doc, req }) => {
  await invalidate(req, doc.id)
  return doc
}

export const invalidateProjectCacheAfterDelete: CollectionAfterDeleteHook<Project> = async ({ id, req }) => {
  await invalidate(req, id)
}
