import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, PayloadRequest } from 'payload'

import type { Media } from '../../../payload-types'

import { relationId } from '../../../model/references'
import { runAfterCommit } from '../../../db/afterCommit'
import { invalidateProjectVectors } from '../../../search/vectors/mediaVectorIndex'

/**
 * The similarity index (src/search/vectors/mediaVectorIndex.ts) holds each project's embeddings in memory on every
 * instance. A write that changes what a row holds (its embedding, mediaType or project) drops the rows of the
 * projects involved everywhere, once the write has committed, so no read in between refills them with old data.
 */
const invalidate = (req: PayloadRequest, projectIds: (string | undefined)[]) => {
  const ids = [...new Set(projectIds.filter((id): id is string => Boolean(id)))]
  if (ids.length === 0) return Promise.resolve()
  return runAfterCommit({ req, key: `media-vectors ${ids.join(',')}`, task: () => invalidateProjectVectors(ids) })
}

const hasEmbedding = (doc: Partial<Media> | undefined) => Array.isArray(doc?.embedding) && doc.embedding.length > 0

export const invalidateMediaVectorsAfterChange: CollectionAfterChangeHook<Media> = async ({ doc, previousDoc, operation, req }) => {
  const project = relationId(doc.project)
  const previousProject = relationId(previousDoc?.project)
  const isRelevant =
    operation === 'create'
      ? hasEmbedding(doc)
      : hasEmbedding(doc) !== hasEmbedding(previousDoc) ||
        (hasEmbedding(doc) &&
          (project !== previousProject ||
            doc.mediaType !== previousDoc?.mediaType ||
            JSON.stringify(doc.embedding) !== JSON.stringify(previousDoc?.embedding)))
  if (isRelevant) await invalidate(req, [project, previousProject])
  return doc
}

export const invalidateMediaVectorsAfterDelete: CollectionAfterDeleteHook<Media> = async ({ doc, req }) => {
  if (hasEmbedding(doc)) await invalidate(req, [relationId(doc.project)])
}
