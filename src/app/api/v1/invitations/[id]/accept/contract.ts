import { answeredSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { answerInvitationSchema } from '@/services/schemas/invitationSchemas'

/** The contract of /api/v1/invitations/{id}/accept (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/invitations/{id}/accept', {
  post: {
    summary: 'Accept an invitation with the token mailed to the invited address: join the project, or take it over (within your quota and tier)',
    body: answerInvitationSchema,
    response: { status: 200, schema: answeredSchema, description: 'Accepted' },
    errors: [400, 401, 403, 404, 409, 413],
  },
})
