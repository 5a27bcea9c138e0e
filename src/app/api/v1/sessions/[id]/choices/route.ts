import type { OfferChoicesDTO } from '@/services/schemas/sessionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { sessionService } from '@/services/sessionService'

import { contract } from './contract'

/** POST /api/v1/sessions/{id}/choices {choices: [{choiceId, label, action, metadata?}]} — the session awaits an answer. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => sessionService.offerChoices(serviceArgs<OfferChoicesDTO & { sessionId: string }>(body, { actor, sessionId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
