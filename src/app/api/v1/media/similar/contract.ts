import { similarMediaSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { similarMediaSchema as similarMediaBody } from '@/services/schemas/searchSchemas'

/** The contract of /api/v1/media/similar (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/media/similar', {
  post: {
    summary: 'Media most similar (cosine of embeddings) to a media item or a vector, among media the caller may read',
    body: similarMediaBody,
    response: { status: 200, schema: similarMediaSchema, description: 'The most similar media, best first' },
    errors: [400, 401, 404, 409, 413, 429],
  },
})
