import { sessionMessagePageSchema, sessionMessageSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { appendMessageSchema, listMessagesSchema } from '@/services/schemas/sessionSchemas'

/** The contract of /api/v1/sessions/{id}/messages (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/sessions/{id}/messages', {
  get: {
    summary: 'The conversation, newest first, by cursor',
    query: listMessagesSchema,
    response: { status: 200, schema: sessionMessagePageSchema, description: 'One page of messages' },
    errors: [400, 401, 404],
  },
  post: {
    summary: 'Append one message (concurrent appends all land, in one order)',
    body: appendMessageSchema,
    response: { status: 201, schema: sessionMessageSchema, description: 'The message with its sequence number' },
    errors: [400, 401, 404, 409, 413],
  },
})
