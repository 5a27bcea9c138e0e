import { sessionSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { startSessionSchema } from '@/services/schemas/sessionSchemas'

/** The contract of /api/v1/sessions (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/sessions', {
  post: {
    summary: 'Start a conversation on one of your projects',
    body: startSessionSchema,
    response: { status: 201, schema: sessionSchema, description: 'The new session (active)' },
    errors: [400, 401, 404, 413],
  },
})
