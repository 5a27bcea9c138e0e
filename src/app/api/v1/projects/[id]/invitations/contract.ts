import { invitedSchema, sentInvitationsSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { invitationSchema } from '@/services/schemas/invitationSchemas'

/** The contract of /api/v1/projects/{id}/invitations (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/invitations', {
  post: {
    summary: 'Invite an email address as collaborator (owner or admin); the same answer whether or not it has an account',
    body: invitationSchema,
    response: { status: 202, schema: invitedSchema, description: 'Invitation sent (or already pending)' },
    errors: [400, 401, 403, 404, 413],
  },
  get: {
    operationId: 'listSentInvitations',
    summary: "Owner or admin: the project's invitations and ownership transfers still waiting for an answer, newest first",
    response: { status: 200, schema: sentInvitationsSchema, description: 'Pending invitations and transfers' },
    errors: [400, 401, 403, 404],
  },
})
