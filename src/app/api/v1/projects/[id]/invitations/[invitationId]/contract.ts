import { withdrawnSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/projects/{id}/invitations/{invitationId} (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/invitations/{invitationId}', {
  delete: {
    operationId: 'withdrawInvitation',
    summary: 'Owner or admin: withdraw a pending invitation or ownership transfer; its token stops working',
    response: { status: 200, schema: withdrawnSchema, description: 'Withdrawn' },
    errors: [400, 401, 403, 404],
  },
})
