import { z } from 'zod'

import { choicePickSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/sessions/{id}/choices/{choiceId} (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/sessions/{id}/choices/{choiceId}', {
  post: {
    summary: "The user's pick: recorded as their message; the session no longer awaits input",
    pathParamSchemas: { choiceId: z.string().min(1).max(500) },
    operationId: 'postSessionsChoicePick',
    response: { status: 201, schema: choicePickSchema, description: 'The recorded message and the session' },
    errors: [400, 401, 404, 409],
  },
})
