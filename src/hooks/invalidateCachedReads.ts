import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import { runAfterCommit } from '../db/afterCommit'
import { getCache } from '../lib/cache'

/**
 * Every write to a document whose reads are cached (a project, a character), from services, REST, GraphQL or the
 * admin, drops those reads on every instance before the write's response is sent: once the write has committed (at
 * once without a transaction), so that no read between the write and its commit can refill the cache with the old
 * document. `tagOf` names the document's cache tag (lib/cache's cacheTags).
 */
export function invalidateCachedReads(tagOf: (id: string) => string): { afterChange: CollectionAfterChangeHook; afterDelete: CollectionAfterDeleteHook } {
  const invalidate = (req: PayloadRequest, id: string | number) => {
    const tag = tagOf(String(id))
    return runAfterCommit({ req, key: `cache ${tag}`, task: () => getCache().invalidate({ tags: [tag] }) })
  }
  return {
    afterChange: async ({ doc, req }) => {
      await invalidate(req, doc.id)
      return doc
    },
    afterDelete: async ({ id, req }) => {
      await invalidate(req, id)
    },
  }
}
