import { projectSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/projects/{id} (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}', {
  get: {
    operationId: 'getProject',
    summary: 'One project',
    response: { status: 200, schema: projectSchema, description: 'The project' },
    errors: [400, 401, 404],
  },
})
