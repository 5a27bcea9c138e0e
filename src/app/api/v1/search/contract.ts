import { searchPageSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { searchSchema } from '@/services/schemas/searchSchemas'

/** The contract of /api/v1/search (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/search', {
  get: {
    summary: 'Full-text search over projects, episodes, scenes, characters and media the caller may read, best first',
    query: searchSchema,
    response: { status: 200, schema: searchPageSchema, description: 'One page of ranked hits' },
    errors: [400, 401, 429],
  },
})
