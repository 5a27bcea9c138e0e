import { env } from '../lib/env'
import { searchSources } from './searchSources'
import { ATLAS_TEXT_INDEX } from './textBackends'

/**
 * Text indexes (MongoDB only: FerretDB v1 has none; one per collection), one per searched collection over the
 * fields and weights of src/search/searchSources.ts, so `$text` ranks with the same weights as the fallback.
 */
export const textIndexes: { collection: string; key: Record<string, 'text'>; weights: Record<string, number> }[] = Object.values(
  searchSources,
).map((source) => ({
  collection: source.collection,
  key: Object.fromEntries(source.fields.map((field) => [field.path, 'text' as const])),
  weights: Object.fromEntries(source.fields.map((field) => [field.path, field.weight])),
}))

export const TEXT_INDEX_NAME = 'search_text'

/**
 * The Atlas Vector Search index the media similarity query ($vectorSearch) names. project, mediaType and
 * createdBy are filter fields, so the caller's scope and the request's filters run inside the vector search.
 */
export const mediaVectorIndex = {
  collection: 'media',
  name: 'media_embedding_index',
  definition: () => ({
    fields: [
      { type: 'vector', path: 'embedding', numDimensions: env.embeddingDimensions, similarity: 'cosine' },
      { type: 'filter', path: 'project' },
      { type: 'filter', path: 'mediaType' },
      { type: 'filter', path: 'createdBy' },
    ],
  }),
}

/** Atlas Search text indexes (SEARCH_BACKEND=atlas): the searched fields as strings, the scope fields as ObjectIds. */
export const atlasTextIndexes = () =>
  Object.values(searchSources).map((source) => ({
    collection: source.collection,
    name: ATLAS_TEXT_INDEX,
    definition: {
      mappings: {
        dynamic: false,
        fields: {
          ...Object.fromEntries(source.fields.map((field) => [field.path, { type: 'string' }])),
          ...(source.projectField === 'project' ? { project: { type: 'objectId' } } : {}),
          ...(source.type === 'media' ? { createdBy: { type: 'objectId' } } : {}),
        },
      },
    },
  }))
