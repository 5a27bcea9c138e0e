import type { Collection, Document, Filter } from 'mongodb'

import { Types } from 'mongoose'

import type { SearchScope } from './searchScope'
import type { SearchSource } from './searchSources'

import { escapeRegex, scoreDocument } from './textMatch'

export type RankedDoc = { doc: Document; score: number }
export type TypeResult = { hits: RankedDoc[]; total: number; isTruncated: boolean }

export type TextQuery = {
  collection: Collection
  source: SearchSource
  scope: SearchScope
  /** Lower-cased search terms (textMatch.tokenize). */
  terms: string[]
  /** How many of this type's best hits the page needs (page × limit). */
  take: number
}

/** Ids as they may be stored: Payload writes ObjectIds, older imports may hold the hex string. */
export function idValues(ids: string[]): unknown[] {
  return ids.flatMap((id) => (Types.ObjectId.isValid(id) ? [new Types.ObjectId(id), id] : [id]))
}

/** The scope as a MongoDB filter, part of the search query itself. */
export function scopeFilter(source: SearchSource, scope: SearchScope): Filter<Document> {
  if (scope.kind === 'all') return {}
  const inProjects = { [source.projectField]: { $in: idValues(scope.projectIds) } }
  if (source.type === 'media' && scope.uploaderId) {
    return { $or: [inProjects, { project: null, createdBy: { $in: idValues([scope.uploaderId]) } }] }
  }
  return inProjects
}

const isEmptyScope = (scope: SearchScope) => scope.kind === 'projects' && scope.projectIds.length === 0 && !scope.uploaderId

/** The fields a hit needs: searched text (for snippets), title, project and a tie-breaker. */
function projection(source: SearchSource): Record<string, 1> {
  const roots = [...source.fields.map((field) => field.path), source.titleField, source.fallbackTitleField, 'project', 'updatedAt']
  return Object.fromEntries(roots.filter((root): root is string => Boolean(root)).map((root) => [root.split('.')[0], 1]))
}

/** MongoDB text indexes: `$text` ranked by textScore (weights from searchSources, see src/db/indexes.ts). */
export async function mongoTextSearch({ collection, source, scope, terms, take }: TextQuery): Promise<TypeResult> {
  if (isEmptyScope(scope)) return { hits: [], total: 0, isTruncated: false }
  const match = { $text: { $search: terms.join(' ') }, ...scopeFilter(source, scope) }
  const [docs, total] = await Promise.all([
    collection
      .aggregate([
        { $match: match },
        { $sort: { score: { $meta: 'textScore' }, _id: -1 } },
        { $limit: take },
        { $project: { ...projection(source), score: { $meta: 'textScore' } } },
      ])
      .toArray(),
    collection.countDocuments(match),
  ])
  return { hits: docs.map((doc) => ({ doc, score: doc.score as number })), total, isTruncated: false }
}

/** The Atlas Search index each searched collection gets (definition: atlasTextIndexDefinition). */
export const ATLAS_TEXT_INDEX = 'text_search_index'

function atlasScopeClause(source: SearchSource, scope: SearchScope): Document[] {
  if (scope.kind === 'all') return []
  const ids = scope.projectIds.map((id) => new Types.ObjectId(id))
  const inProjects = { in: { path: source.projectField, value: ids } }
  if (source.type === 'media' && scope.uploaderId) {
    const ownUploads = {
      compound: {
        filter: [{ equals: { path: 'createdBy', value: new Types.ObjectId(scope.uploaderId) } }],
        mustNot: [{ exists: { path: 'project' } }],
      },
    }
    return [{ compound: { should: [inProjects, ownUploads], minimumShouldMatch: 1 } }]
  }
  return [inProjects]
}

/** Atlas Search (SEARCH_BACKEND=atlas): `$search` with per-field boosts equal to the weights, scope as a filter clause. */
export async function atlasTextSearch({ collection, source, scope, terms, take }: TextQuery): Promise<TypeResult> {
  if (isEmptyScope(scope)) return { hits: [], total: 0, isTruncated: false }
  const operator = {
    index: ATLAS_TEXT_INDEX,
    compound: {
      should: source.fields.map((field) => ({
        text: { query: terms.join(' '), path: field.path, score: { boost: { value: field.weight } } },
      })),
      minimumShouldMatch: 1,
      filter: atlasScopeClause(source, scope),
    },
    count: { type: 'total' },
  }
  const docs = await collection
    .aggregate([
      { $search: operator },
      { $limit: take },
      { $project: { ...projection(source), score: { $meta: 'searchScore' }, meta: '$$SEARCH_META' } },
    ])
    .toArray()
  const total = Number((docs[0]?.meta as { count?: { total?: number } } | undefined)?.count?.total ?? 0)
  return { hits: docs.map((doc) => ({ doc, score: doc.score as number })), total, isTruncated: false }
}

/** The fallback reads at most this many matching documents per type and query. */
export const FALLBACK_SCAN_CAP = 2000

/**
 * Engines without text indexes (FerretDB v1): one query per type whose filter is the caller's scope AND a
 * case-insensitive regular expression of the terms on the searched fields, returning only those fields, newest
 * first, at most FALLBACK_SCAN_CAP documents; ranked in the process by textMatch.scoreDocument. The scope is in the
 * query, so pages stay full. Cost grows with the documents in the caller's scope (FerretDB evaluates the regular
 * expression on every row it reads); past the cap the ranking covers only the newest matches (isTruncated).
 */
export async function fallbackTextSearch({ collection, source, scope, terms, take }: TextQuery): Promise<TypeResult> {
  if (isEmptyScope(scope)) return { hits: [], total: 0, isTruncated: false }
  const pattern = terms.map(escapeRegex).join('|')
  const anyField = { $or: source.fields.map((field) => ({ [field.path]: { $regex: pattern, $options: 'i' } })) }
  const docs = await collection
    .find({ $and: [scopeFilter(source, scope), anyField] }, { projection: projection(source), sort: { _id: -1 }, limit: FALLBACK_SCAN_CAP + 1 })
    .toArray()
  const isTruncated = docs.length > FALLBACK_SCAN_CAP
  const phrase = terms.join(' ')
  const hits = docs
    .slice(0, FALLBACK_SCAN_CAP)
    .map((doc) => ({ doc, score: scoreDocument(source, doc, terms, phrase) }))
    .sort((a, b) => b.score - a.score)
  return { hits: hits.slice(0, take), total: hits.length, isTruncated }
}
