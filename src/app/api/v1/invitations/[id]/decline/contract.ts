import { answeredSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { answerInvitationSchema } from '@/services/schemas/invitationSchemas'

/** The contract of /api/v1/invitations/{id}/decline (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/invitations/{id}/decline', {
  post: {
    summary: 'Decline an invitation (with the token mailed to the invited address)',
    body: answerInvitationSchema,
    response: { status: 200, schema: answeredSchema, description: 'Declined' },
    errors: [400, 401, 404, 413],
  },
})
