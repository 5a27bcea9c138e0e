import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

import { contract } from './contract'

/** DELETE /api/v1/projects/{id}/invitations/{invitationId} — owner or admin withdraws a pending invitation or transfer. */
export const DELETE = apiRoute<{ id: string; invitationId: string }>(
  ({ actor, params }) => invitationService.withdraw({ actor, projectId: params.id, invitationId: params.invitationId }),
  { contract: contract.operations.delete },
)

export const { GET, POST, PUT, PATCH } = otherMethods({ DELETE })
