import type { AnswerInvitationDTO } from '@/services/schemas/invitationSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

import { contract } from './contract'

/** POST /api/v1/invitations/{id}/accept {token} — the invitee, with the token mailed to them, joins the project (or takes it over). */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => invitationService.accept(serviceArgs<AnswerInvitationDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
