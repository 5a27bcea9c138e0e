import { z } from 'zod'

import { mediaTypes } from '../../model/options'
import { searchTypes } from '../../search/searchSources'
import { idSchema, pageSizeSchema, paginationSchema } from './common'

/** Deepest hit a text search pages to (page × limit): every type's top hits up to here are ranked together. */
export const MAX_SEARCH_WINDOW = 1000

const typeList = new RegExp(`^(${searchTypes.join('|')})(,(${searchTypes.join('|')}))*$`)

export const searchSchema = paginationSchema
  .extend({
    q: z.string().trim().min(1).max(200),
    types: z
      .string()
      .regex(typeList, `must be a comma-separated list of ${searchTypes.join(', ')}`)
      .optional()
      .describe('Comma-separated document types; all types by default'),
    project: idSchema.optional().describe('Only documents of this project'),
  })
  .strict()
  .refine((input) => input.page * input.limit <= MAX_SEARCH_WINDOW, {
    path: ['page'],
    message: `page × limit must be at most ${MAX_SEARCH_WINDOW}`,
  })

/** The vector must have the deployment's dimension (EMBEDDING_DIMENSIONS), checked by the service. */
export const similarMediaSchema = z
  .object({
    mediaId: idSchema.optional().describe('Find media like this one (it must have an embedding)'),
    vector: z.array(z.number().finite()).max(1024).optional().describe('A query embedding of EMBEDDING_DIMENSIONS numbers'),
    project: idSchema.optional(),
    mediaType: z.enum(mediaTypes).optional(),
    // The API's one page-size rule: above 100 (or 0) the 100 most similar, and the answer's `limit` says so.
    limit: pageSizeSchema(z.number(), 10),
  })
  .strict()
  .refine((input) => (input.mediaId === undefined) !== (input.vector === undefined), {
    path: ['mediaId'],
    message: 'give exactly one of mediaId and vector',
  })

export type SearchDTO = z.input<typeof searchSchema>
export type SimilarMediaDTO = z.input<typeof similarMediaSchema>
