import { sessionSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { offerChoicesSchema } from '@/services/schemas/sessionSchemas'

/** The contract of /api/v1/sessions/{id}/choices (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/sessions/{id}/choices', {
  post: {
    summary: 'Offer the user choices; the session awaits their answer',
    body: offerChoicesSchema,
    response: { status: 200, schema: sessionSchema, description: 'The session with lastChoices and awaitingUserInput' },
    errors: [400, 401, 404, 409, 413],
  },
})
