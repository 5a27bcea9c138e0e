import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

import { contract } from './contract'

/** GET /api/v1/invitations — the caller's pending invitations. */
export const GET = apiRoute(({ actor }) => invitationService.listMine({ actor }), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
