import { apiRoute, otherMethods } from '@/http/apiRoute'
import { invitationService } from '@/services/invitationService'

/** POST /api/v1/invitations/{id}/accept — the invitee joins the project (or takes it over). */
export const POST = apiRoute<{ id: string }>(({ actor, params }) => invitationService.accept({ actor, id: params.id }), { acceptsQuery: false })

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
