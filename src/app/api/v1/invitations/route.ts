import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

/** GET /api/v1/invitations — the caller's pending invitations. */
export const GET = apiRoute(({ actor }) => invitationService.listMine({ actor }), { acceptsQuery: false })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
