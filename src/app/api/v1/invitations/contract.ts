import { pendingInvitationsSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/invitations (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/invitations', {
  get: {
    summary: "The caller's pending invitations",
    response: { status: 200, schema: pendingInvitationsSchema, description: 'Pending invitations, newest first' },
    errors: [400, 401],
  },
})
