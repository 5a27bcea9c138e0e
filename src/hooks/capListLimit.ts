import type { CollectionBeforeOperationHook, CollectionConfig } from 'payload'

import { MAX_LIST_LIMIT } from '../model/apiLimits'

/**
 * REST and GraphQL lists return at most MAX_LIST_LIMIT rows per page: a larger `limit`, `limit=0` (all) and
 * `pagination=false` are brought down to one page of MAX_LIST_LIMIT. Local API calls (server code) are not capped.
 */
export const capListLimit: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'read' || req.payloadAPI === 'local' || !args) return args
  const list = args as { limit?: number; pagination?: boolean }
  const hasLimit = list.limit !== undefined && list.limit !== null && (list.limit as unknown) !== ''
  const limit = hasLimit ? Number(list.limit) : undefined
  const isWithinCap = limit !== undefined && Number.isFinite(limit) && limit > 0 && limit <= MAX_LIST_LIMIT
  if (list.pagination === false || (hasLimit && !isWithinCap)) {
    return { ...args, pagination: true, limit: isWithinCap ? limit : MAX_LIST_LIMIT }
  }
  return args
}

/** Adds capListLimit to a collection. */
export function withListLimit(collection: CollectionConfig): CollectionConfig {
  return {
    ...collection,
    hooks: { ...collection.hooks, beforeOperation: [...(collection.hooks?.beforeOperation ?? []), capListLimit] },
  }
}
