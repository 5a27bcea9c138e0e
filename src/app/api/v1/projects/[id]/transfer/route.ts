import type { InvitationDTO } from '@/services/schemas/invitationSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

import { contract } from './contract'

/** POST /api/v1/projects/{id}/transfer {email} — owner or admin offers the project; the new owner accepts with the mailed token. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => invitationService.transfer(serviceArgs<InvitationDTO & { projectId: string }>(body, { actor, projectId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
