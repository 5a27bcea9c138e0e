import { keysetPageOf, mediaSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { findMediaByProjectSchema } from '@/services/schemas/mediaSchemas'

/** The contract of /api/v1/projects/{id}/media (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/media', {
  get: {
    operationId: 'listProjectMedia',
    summary: "The project's media, optionally of one type, newest first",
    query: findMediaByProjectSchema.omit({ projectId: true }),
    response: { status: 200, schema: keysetPageOf(mediaSchema, 'Media'), description: 'One page of media' },
    errors: [400, 401, 404],
  },
})
