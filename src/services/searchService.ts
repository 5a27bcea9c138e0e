import type { Collection } from 'mongodb'


import type { Actor } from './actor'

import { getSearchScope, narrowScope } from '../access/searchScope'
import { getSearchCapabilities } from '../db/searchCapabilities'
import { ValidationError } from '../errors'
import { searchSources, type SearchType, searchTypes, valuesAt } from '../search/searchSources'
import { atlasTextSearch, fallbackTextSearch, mongoTextSearch, type TextQuery, type TypeResult } from '../search/textBackends'
import { highlightSnippet, tokenize } from '../search/textMatch'
import { requestOf, requireUser } from './actor'
import { type Page, parseInput } from './schemas/common'
import { type SearchDTO, searchSchema } from './schemas/searchSchemas'

export type SearchHit = {
  type: SearchType
  id: string
  title: string
  project: string | null
  /** HTML-escaped excerpt with matches in <mark>. */
  snippet: string
  score: number
}

export type SearchPage = Page<SearchHit> & {
  /** Which ranking answered: MongoDB text indexes, Atlas Search, or the regex-scan fallback. */
  ranking: 'text-index' | 'atlas-search' | 'scan'
  /** The fallback stopped reading at its cap for some type: totals and ranking cover the newest matches only. */
  isTruncated: boolean
}

/** The strategy the detected engine allows (src/db/searchCapabilities.ts, set at start-up). */
function pickBackend(): { ranking: SearchPage['ranking']; run: (query: TextQuery) => Promise<TypeResult> } {
  const capabilities = getSearchCapabilities()
  if (capabilities.hasAtlasSearch) return { ranking: 'atlas-search', run: atlasTextSearch }
  if (capabilities.hasTextIndexes) return { ranking: 'text-index', run: mongoTextSearch }
  return { ranking: 'scan', run: fallbackTextSearch }
}

/**
 * Full-text search over what the caller may read: each requested type's best `page × limit` hits, ranked by the
 * engine's strategy, merged by score into one page. The caller's scope — per type, as that collection's read rule
 * decides — is part of each query.
 */
async function search({ actor, ...input }: { actor: Actor } & SearchDTO): Promise<SearchPage> {
  const { payload } = requireUser(actor)
  const { q, types, project, page, limit } = parseInput(searchSchema, input)
  const terms = tokenize(q)
  if (terms.length === 0) {
    throw new ValidationError({ issues: [{ path: 'q', message: 'must contain a word of at least two letters or digits' }] })
  }
  const req = await requestOf(actor)
  const wanted = types ? (types.split(',') as SearchType[]) : [...searchTypes]
  const backend = pickBackend()
  const take = page * limit

  const results = await Promise.all(
    [...new Set(wanted)].map(async (type) => {
      const source = searchSources[type]
      const collection = payload.db.collections[source.collection].collection as unknown as Collection
      // Each type under its own collection's read rule (a worker reads media of some projects, no project itself).
      const scope = narrowScope(await getSearchScope(req, source.collection), project)
      return { source, result: await backend.run({ collection, source, scope, terms, take }) }
    }),
  )
  const ranked = results
    .flatMap(({ source, result }) => result.hits.map((hit) => ({ source, ...hit })))
    .sort((a, b) => b.score - a.score || String(b.doc._id).localeCompare(String(a.doc._id)))
  const totalDocs = results.reduce((sum, { result }) => sum + result.total, 0)
  const docs = ranked.slice((page - 1) * limit, page * limit).map(({ source, doc, score }): SearchHit => {
    const title = valuesAt(doc, source.titleField)[0] ?? (source.fallbackTitleField ? valuesAt(doc, source.fallbackTitleField)[0] : undefined)
    const projectId = source.projectField === '_id' ? doc._id : doc.project
    return {
      type: source.type,
      id: String(doc._id),
      title: title ?? '',
      project: projectId ? String(projectId) : null,
      snippet: highlightSnippet(source, doc, terms),
      score: Math.round(score * 1000) / 1000,
    }
  })
  const totalPages = Math.ceil(totalDocs / limit)
  return {
    docs,
    page,
    limit,
    totalDocs,
    totalPages,
    hasNextPage: page < totalPages,
    hasPrevPage: page > 1,
    ranking: backend.ranking,
    isTruncated: results.some(({ result }) => result.isTruncated),
  }
}

export const searchService = { search }
