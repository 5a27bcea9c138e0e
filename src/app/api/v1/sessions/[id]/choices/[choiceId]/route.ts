import { apiRoute, otherMethods } from '@/http/apiRoute'
import { sessionService } from '@/services/sessionService'

import { contract } from './contract'

/** POST /api/v1/sessions/{id}/choices/{choiceId} — the user's pick, recorded as their message; awaiting cleared. */
export const POST = apiRoute<{ id: string; choiceId: string }>(
  ({ actor, params }) => sessionService.pickChoice({ actor, sessionId: params.id, choiceId: params.choiceId }),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
