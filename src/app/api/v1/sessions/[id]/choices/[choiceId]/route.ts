import { apiRoute, otherMethods } from '@/http/apiRoute'
import { sessionService } from '@/services/sessionService'

/** POST /api/v1/sessions/{id}/choices/{choiceId} — the user's pick, recorded as their message; awaiting cleared. */
export const POST = apiRoute<{ id: string; choiceId: string }>(
  ({ actor, params }) => sessionService.pickChoice({ actor, sessionId: params.id, choiceId: params.choiceId }),
  { status: 201, acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
