import { sessionSchema, sessionWithMessagesSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { patchSessionSchema } from '@/services/schemas/sessionSchemas'

/** The contract of /api/v1/sessions/{id} (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/sessions/{id}', {
  get: {
    summary: 'One of your sessions with its latest 20 messages (newest first)',
    response: { status: 200, schema: sessionWithMessagesSchema, description: 'The session' },
    errors: [400, 401, 404],
  },
  patch: {
    summary: 'Change the step, the context (documents of the same project) or the state (active ⇄ paused → completed | error)',
    body: patchSessionSchema,
    response: { status: 200, schema: sessionSchema, description: 'The changed session' },
    errors: [400, 401, 404, 409, 413],
  },
})
