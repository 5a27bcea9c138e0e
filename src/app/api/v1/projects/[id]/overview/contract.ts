import { overviewSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/projects/{id}/overview (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/overview', {
  get: {
    operationId: 'getProjectOverview',
    summary: 'Project dashboard: episodes with scene counts and progress, characters, latest media, open tasks, cost',
    response: { status: 200, schema: overviewSchema, description: 'The overview' },
    errors: [400, 401, 404],
  },
})
