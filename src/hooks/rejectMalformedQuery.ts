import type { CollectionBeforeOperationHook, CollectionConfig, FlattenedField, Payload, SanitizedCollectionConfig } from 'payload'

import { BadRequestError } from '../errors'

import { checkWhereBounds } from '../lib/query/whereBounds'

/** A sort key as REST and GraphQL may send it: an optional `-`, then a (dotted) field name. */
const sortKey = /^-?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
/** Geo operators: the collections have no point fields, and on other fields these crash the query builder. */
const geoOperators = new Set(['near', 'within', 'intersects'])
/**
 * Operators that compare with one value. A query string that names one twice (`where[title][contains]=a&…=b`)
 * hands them an array, which the adapter's pattern and range builders cannot take (a 500 before this check).
 */
const singleValueOperators = new Set(['like', 'not_like', 'contains', 'greater_than', 'greater_than_equal', 'less_than', 'less_than_equal'])

/**
 * Payload hands sort keys and `where` operators to the database adapter as given. A `$natural`, empty or spaced
 * sort key, or `near` on a non-point field, would end in a server error (500); and a `near` anywhere in a `where`
 * makes the MongoDB adapter count with estimatedDocumentCount, which ignores every filter — the access constraint
 * included (a stranger's `/api/users/count?where[id][near]=…` answered the whole collection's count). So geo
 * operators are refused with a 400 on every operation that takes a `where` (find, findByID, count, versions,
 * distinct, bulk update and delete), REST, GraphQL and Local API calls made on a caller's behalf
 * (`overrideAccess: false`); sort keys on reads. Server code with overridden access is not checked.
 * The same calls have their `where` bounded (WHERE_LIMITS: branches, conditions, nesting, relationship paths), so
 * one request cannot fan out into hundreds of related-collection queries; a 400 naming the bound otherwise.
 */
export const rejectMalformedQuery: CollectionBeforeOperationHook = ({ args, collection, operation, req }) => {
  if (!args) return args
  const { sort, where, overrideAccess } = args as { sort?: unknown; where?: unknown; overrideAccess?: boolean }
  if (req.payloadAPI === 'local' && overrideAccess !== false) return args
  if (operation === 'read' && sort !== undefined && sort !== null && sort !== '') {
    const keys = Array.isArray(sort) ? sort : String(sort).split(',')
    const bad = keys.filter((key) => typeof key !== 'string' || !sortKey.test(key))
    if (bad.length > 0) throw new BadRequestError({ message: `Invalid sort: ${JSON.stringify(bad).slice(0, 100)}` })
  }
  const operator = findGeoOperator(where)
  if (operator) throw new BadRequestError({ message: `The "${operator}" operator is not supported on these fields` })
  const listed = findListedSingleValue(where)
  if (listed) throw new BadRequestError({ message: `The "${listed.operator}" operator takes one value, not a list (where.${listed.path})` })
  checkWhereBounds(where, (path) => relationshipHops({ path, collection, payload: req.payload }))
  return args
}

/**
 * How many related collections a dotted `where` path goes through (`createdBy.email` 1, `episode.project.title`
 * 2): each relationship or upload followed by a sub-field is a query of the related collection. A polymorphic
 * relationship's sub-field counts one hop per collection it may point to (its own `value` and `relationTo` none);
 * groups and arrays are no hop.
 */
function relationshipHops({ path, collection, payload }: { path: string; collection: SanitizedCollectionConfig; payload: Payload }): number {
  let fields: FlattenedField[] = collection.flattenedFields
  let hops = 0
  const segments = path.split('.')
  for (let index = 0; index < segments.length - 1; index++) {
    const field = fields.find((candidate) => candidate.name === segments[index])
    if (!field) return hops
    if (field.type === 'relationship' || field.type === 'upload' || field.type === 'join') {
      const relationTo = field.type === 'join' ? field.collection : field.relationTo
      if (Array.isArray(relationTo)) {
        // `document.value` / `document.relationTo` are the stored pair (the admin's document locks): no query.
        const rest = segments.slice(index + 1)
        return rest.length === 1 && (rest[0] === 'value' || rest[0] === 'relationTo') ? hops : hops + relationTo.length
      }
      hops++
      const related = payload.collections[relationTo]?.config
      if (!related) return hops
      fields = related.flattenedFields
    } else if ('flattenedFields' in field && Array.isArray(field.flattenedFields)) {
      fields = field.flattenedFields
    } else {
      return hops
    }
  }
  return hops
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

function findListedSingleValue(node: unknown, path: string[] = [], depth = 0): { operator: string; path: string } | undefined {
  if (!node || typeof node !== 'object' || depth > 20) return undefined
  for (const [key, value] of Object.entries(node)) {
    // A list, or a nested object from the query string; a Date (Payload's own lock queries) is one value.
    const isListed = Array.isArray(value) || (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    if (singleValueOperators.has(key) && isListed) return { operator: key, path: [...path, key].join('.') }
    const found = findListedSingleValue(value, [...path, key], depth + 1)
    if (found) return found
  }
  return undefined
}
