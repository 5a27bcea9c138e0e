import type { InvitationDTO } from '@/services/schemas/invitationSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/invitations — owner or admin: the invitations and transfers still pending. */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => invitationService.listSent({ actor, projectId: params.id }), { contract: contract.operations.get })

/** POST /api/v1/projects/{id}/invitations {email} — owner or admin invites; 202 whether or not the address has an account. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => invitationService.invite(serviceArgs<InvitationDTO & { projectId: string }>(body, { actor, projectId: params.id })),
  { contract: contract.operations.post },
)

export const { PUT, PATCH, DELETE } = otherMethods({ GET, POST })
