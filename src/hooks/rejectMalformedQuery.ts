import type { CollectionBeforeOperationHook, CollectionConfig } from 'payload'

import { APIError } from 'payload'

/** A sort key as REST and GraphQL may send it: an optional `-`, then a (dotted) field name. */
const sortKey = /^-?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
/** Geo operators: the collections have no point fields, and on other fields these crash the query builder. */
const geoOperators = new Set(['near', 'within', 'intersects'])

/**
 * REST and GraphQL reads: Payload hands sort keys and `where` operators to the database adapter as given, so a
 * `$natural`, empty or spaced sort key, or `near` on a non-point field, would end in a server error (500). These
 * answer 400 before any query runs. Local API calls (server code) are not checked.
 */
export const rejectMalformedQuery: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'read' || req.payloadAPI === 'local' || !args) return args
  const { sort, where } = args as { sort?: unknown; where?: unknown }
  if (sort !== undefined && sort !== null && sort !== '') {
    const keys = Array.isArray(sort) ? sort : String(sort).split(',')
    const bad = keys.filter((key) => typeof key !== 'string' || !sortKey.test(key))
    if (bad.length > 0) throw new APIError(`Invalid sort: ${JSON.stringify(bad).slice(0, 100)}`, 400, null, true)
  }
  const operator = findGeoOperator(where)
  if (operator) throw new APIError(`The "${operator}" operator is not supported on these fields`, 400, null, true)
  return args
}

function findGeoOperator(node: unknown, depth = 0): string | undefined {
  if (!node || typeof node !== 'object' || depth > 20) return undefined
  for (const [key, value] of Object.entries(node)) {
    if (geoOperators.has(key)) return key
    const found = findGeoOperator(value, depth + 1)
    if (found) return found
  }
  return undefined
}

/** Adds rejectMalformedQuery to a collection (first, before anything reads the query). */
export function withQueryCheck(collection: CollectionConfig): CollectionConfig {
  return {
    ...collection,
    hooks: { ...collection.hooks, beforeOperation: [rejectMalformedQuery, ...(collection.hooks?.beforeOperation ?? [])] },
  }
}
