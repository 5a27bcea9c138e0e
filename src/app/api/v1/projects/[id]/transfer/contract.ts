import { invitedSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { invitationSchema } from '@/services/schemas/invitationSchemas'

/** The contract of /api/v1/projects/{id}/transfer (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/transfer', {
  post: {
    summary: "Offer the project's ownership to an email address (owner or admin); the new owner accepts",
    body: invitationSchema,
    response: { status: 202, schema: invitedSchema, description: 'Ownership invitation sent (or already pending)' },
    errors: [400, 401, 403, 404, 413],
  },
})
