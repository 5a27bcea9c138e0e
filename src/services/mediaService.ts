import type { Collection } from 'mongodb'


import type { Media } from '../payload-types'

import { getSearchScope, narrowScope } from '../access/searchScope'
import { slugs } from '../model/slugs'
import { getSearchCapabilities } from '../db/searchCapabilities'
import { ConflictError, ValidationError } from '../errors'
import { env } from '../lib/env'
import { inMemorySimilar, vectorIndexSimilar } from '../search/similarMediaSearch'
import { type Actor, requestOf, requireUser } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import { findMediaByProjectSchema, type FindMediaByProjectDTO, updateMediaSchema } from './schemas/mediaSchemas'
import { similarMediaSchema, type SimilarMediaDTO } from './schemas/searchSchemas'

/** List views never carry the embedding vector (up to 1,024 numbers) or generation prompts. */
export const mediaListSelect = {
  project: true,
  episode: true,
  scene: true,
  character: true,
  filename: true,
  mimeType: true,
  filesize: true,
  width: true,
  height: true,
  url: true,
  thumbnailURL: true,
  alt: true,
  mediaType: true,
  status: true,
  version: true,
  tags: true,
  agentGenerated: true,
  createdAt: true,
} as const

const base = createCollectionService({
  slug: slugs.media,
  resource: 'Media',
  // Files are created through the upload endpoint (/api/media), so the service has no create of its own.
  createSchema: updateMediaSchema,
  updateSchema: updateMediaSchema,
  listSelect: mediaListSelect,
})

/** A project's media, optionally of one type, newest first. 404 when the project is not visible. */
async function findByProject({ actor, ...input }: { actor: Actor } & FindMediaByProjectDTO): Promise<Page<Media>> {
  const { projectId, mediaType, status, page, limit, cursor } = parseInput(findMediaByProjectSchema, input)
  const where = {
    project: { equals: projectId },
    ...(mediaType ? { mediaType: { equals: mediaType } } : {}),
    ...(status ? { status: { equals: status } } : {}),
  }
  const scope = `media:${projectId}:${mediaType ?? ''}:${status ?? ''}`
  const result = await base.listByKeyset({ actor, where, sort: ['-createdAt'], scope, cursor, page, limit })
  if (result.docs.length === 0) await projectService.findById({ actor, id: projectId })
  return result
}

export type SimilarMedia = { docs: (Partial<Media> & { id: string; score: number })[]; limit: number; strategy: 'vector-index' | 'exact' }

/**
 * Media like a given media item or vector, by cosine similarity of embeddings, among the media the caller may
 * read (the search scope, in the query): `$vectorSearch` where the vector index exists, otherwise the exact
 * in-memory top-k. The vector must have the deployment's dimension (EMBEDDING_DIMENSIONS).
 */
async function findSimilar({ actor, ...input }: { actor: Actor } & SimilarMediaDTO): Promise<SimilarMedia> {
  const { payload } = requireUser(actor)
  const { mediaId, vector: given, project, mediaType, limit } = parseInput(similarMediaSchema, input)
  const dimensions = env.embeddingDimensions
  let vector = given
  if (mediaId) {
    const source = await base.findById({ actor, id: mediaId, depth: 0 })
    if (!Array.isArray(source.embedding) || source.embedding.length === 0) {
      throw new ConflictError({ message: `Media ${mediaId} has no embedding yet`, details: { field: 'mediaId' } })
    }
    vector = source.embedding
  }
  if (vector!.length !== dimensions) {
    const path = mediaId ? 'mediaId' : 'vector'
    throw new ValidationError({ issues: [{ path, message: `must have ${dimensions} numbers (EMBEDDING_DIMENSIONS), not ${vector!.length}` }] })
  }
  const req = await requestOf(actor)
  const scope = narrowScope(await getSearchScope(req, slugs.media), project)
  const collection = payload.db.collections[slugs.media].collection as unknown as Collection
  const useIndex = getSearchCapabilities().hasVectorIndex
  const hits = await (useIndex ? vectorIndexSimilar : inMemorySimilar)({ collection, scope, vector: vector!, mediaType, excludeId: mediaId, limit })
  if (hits.length === 0) return { docs: [], limit, strategy: useIndex ? 'vector-index' : 'exact' }
  const found = await base.list({ actor, where: { id: { in: hits.map((hit) => hit.id) } }, limit: hits.length })
  const byId = new Map(found.docs.map((doc) => [String(doc.id), doc]))
  return {
    docs: hits.flatMap((hit) => {
      const doc = byId.get(hit.id)
      return doc ? [{ ...doc, score: Math.round(hit.score * 1e6) / 1e6 }] : []
    }),
    limit,
    strategy: useIndex ? 'vector-index' : 'exact',
  }
}

export const mediaService = {
  findById: base.findById,
  findByProject,
  findSimilar,
  update: base.update,
  delete: base.delete,
}
