import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

/** POST /api/v1/invitations/{id}/decline — the invitee says no. */
export const POST = apiRoute<{ id: string }>(({ actor, params }) => invitationService.decline({ actor, id: params.id }), { acceptsQuery: false })

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
