import { sceneTakesSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/scenes/{id}/takes (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/scenes/{id}/takes', {
  get: {
    operationId: 'listSceneTakes',
    summary: "Every generated result of the scene by slot, newest first, with the one the slot points at now (earlier takes are kept)",
    response: { status: 200, schema: sceneTakesSchema, description: 'The takes by slot' },
    errors: [400, 401, 404],
  },
})
