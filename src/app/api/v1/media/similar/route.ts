import config from '@payload-config'

import type { SimilarMediaDTO } from '@/services/schemas/searchSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { withRateLimit } from '@/http/withRateLimit'
import { mediaService } from '@/services/mediaService'

import { contract } from './contract'

/** POST /api/v1/media/similar { mediaId | vector, project?, mediaType?, limit? } — media ranked by cosine similarity. */
export const POST = withRateLimit({
  policy: 'search',
  config,
  handler: apiRoute(({ actor, body }) => mediaService.findSimilar(serviceArgs<SimilarMediaDTO>(body, { actor })), { contract: contract.operations.post }),
})

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
