import type { AppendMessageDTO, ListMessagesDTO } from '@/services/schemas/sessionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { sessionService } from '@/services/sessionService'

import { contract } from './contract'

/** GET /api/v1/sessions/{id}/messages?limit=&before= — {docs, nextCursor}, newest first. */
export const GET = apiRoute<{ id: string }>(({ actor, params, query }) =>
  sessionService.findMessages(serviceArgs<ListMessagesDTO & { sessionId: string }>(query, { actor, sessionId: params.id })),
  { contract: contract.operations.get },
)

/** POST /api/v1/sessions/{id}/messages {role, content, metadata?} — appends one message, answered with its seq. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => sessionService.appendMessage(serviceArgs<AppendMessageDTO & { sessionId: string }>(body, { actor, sessionId: params.id })),
  { contract: contract.operations.post },
)

export const { PUT, PATCH, DELETE } = otherMethods({ GET, POST })
