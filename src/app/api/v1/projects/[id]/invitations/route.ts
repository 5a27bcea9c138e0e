import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'
import { asInvitationDTO } from '@/services/schemas/invitationSchemas'

/** POST /api/v1/projects/{id}/invitations {email} — owner or admin invites; 202 whether or not the address has an account. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => invitationService.invite({ actor, ...asInvitationDTO(body), projectId: params.id }),
  { status: 202, acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
