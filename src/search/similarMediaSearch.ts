import type { Collection } from 'mongodb'

import type { SearchScope } from './searchScope'

import { mediaVectorIndex } from './searchIndexes'
import { idValues } from './textBackends'
import { normalize, type RowSet, topKSimilar } from './vectors/cosineTopK'
import { getProjectVectors, type ProjectVectors } from './vectors/mediaVectorIndex'

export type SimilarityQuery = {
  collection: Collection
  scope: SearchScope
  vector: number[]
  mediaType?: string
  /** Left out of the answer (the media a "more like this" started from). */
  excludeId?: string
  limit: number
}
export type SimilarHit = { id: string; score: number }

/**
 * Atlas Vector Search (or MongoDB 8.2+ with search): `$vectorSearch` on media_embedding_index with the scope and
 * mediaType as pre-filters (filter fields of the index). Atlas reports cosine as (1 + cos) / 2; the answer
 * converts it back to the cosine. Approximate (HNSW) with numCandidates = 20 × limit, as Atlas recommends.
 */
export async function vectorIndexSimilar({ collection, scope, vector, mediaType, excludeId, limit }: SimilarityQuery): Promise<SimilarHit[]> {
  if (scope.kind === 'projects' && scope.projectIds.length === 0) return []
  const filter = {
    ...(scope.kind === 'projects' ? { project: { $in: idValues(scope.projectIds) } } : {}),
    ...(mediaType ? { mediaType: { $eq: mediaType } } : {}),
  }
  const take = limit + (excludeId ? 1 : 0)
  const docs = await collection
    .aggregate([
      {
        $vectorSearch: {
          index: mediaVectorIndex.name,
          path: 'embedding',
          queryVector: vector,
          numCandidates: Math.min(10_000, take * 20),
          limit: take,
          ...(Object.keys(filter).length ? { filter } : {}),
        },
      },
      { $project: { _id: 1, score: { $meta: 'vectorSearchScore' } } },
    ])
    .toArray()
  return docs
    .map((doc) => ({ id: String(doc._id), score: 2 * (doc.score as number) - 1 }))
    .filter((hit) => hit.id !== excludeId)
    .slice(0, limit)
}

/**
 * Everywhere else: exact cosine top-k over the in-memory rows of each project in scope (mediaVectorIndex.ts).
 * A query reads no embedding from the database once a project's rows are loaded; admins (scope all) first list
 * the projects that have embeddings (one distinct query).
 */
export async function inMemorySimilar({ collection, scope, vector, mediaType, excludeId, limit }: SimilarityQuery): Promise<SimilarHit[]> {
  const projectIds =
    scope.kind === 'all'
      ? (await collection.distinct('project', { embedding: { $exists: true } })).filter(Boolean).map(String)
      : scope.projectIds
  const query = normalize(vector)
  const projects = await Promise.all(
    projectIds.map((projectId) => getProjectVectors({ collection, projectId, dimensions: vector.length })),
  )
  const sets = projects.map((rows): RowSet => (mediaType || excludeId ? { ...rows, mask: acceptedRows(rows, mediaType, excludeId) } : rows))
  const hits = await topKSimilar({ sets, query, k: limit })
  return hits.map(({ set, row, score }) => ({ id: projects[set].ids[row], score }))
}

/** 1 for the rows a filtered query may return (its mediaType, not the media it started from), 0 for the others. */
function acceptedRows(rows: ProjectVectors, mediaType: string | undefined, excludeId: string | undefined): Uint8Array {
  const mask = new Uint8Array(rows.count)
  for (let row = 0; row < rows.count; row++) {
    mask[row] = (!mediaType || rows.mediaTypes[row] === mediaType) && rows.ids[row] !== excludeId ? 1 : 0
  }
  return mask
}
