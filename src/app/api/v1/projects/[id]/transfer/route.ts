import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'
import { asInvitationDTO } from '@/services/schemas/invitationSchemas'

/** POST /api/v1/projects/{id}/transfer {email} — owner or admin offers the project; the new owner accepts. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => invitationService.transfer({ actor, ...asInvitationDTO(body), projectId: params.id }),
  { status: 202, acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
