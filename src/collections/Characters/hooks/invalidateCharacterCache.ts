import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import type { Character } from '../../../payload-types'

import { runAfterCommit } from '../../../db/afterCommit'
import { cacheTags, getCache } from '../../../lib/cache'

/**
 * Every write to a character drops its cached reads on every instance before the write's response is sent, once
 * the write has committed (see Projects/hooks/invalidateProjectCache.ts).
 */
const invalidate = (req: PayloadRequest, id: string | number) => {
  const tag = cacheTags.character(String(id))
  return runAfterCommit({ req, key: `cache ${tag}`, task: () => getCache().invalidate({ tags: [tag] }) })
}

export const invalidateCharacterCacheAfterChange: CollectionAfterChangeHook<Character> = async ({ doc, req }) => {
  await invalidate(req, doc.id)
  return doc
}

export const invalidateCharacterCacheAfterDelete: CollectionAfterDeleteHook<Character> = async ({ id, req }) => {
  await invalidate(req, id)
}
