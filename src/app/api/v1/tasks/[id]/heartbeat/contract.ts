import { heartbeatResultSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { heartbeatSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/{id}/heartbeat (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/{id}/heartbeat', {
  post: {
    summary: 'Worker: renew the lease and report progress; tells the worker when the task was cancelled',
    body: heartbeatSchema,
    response: { status: 200, schema: heartbeatResultSchema, description: 'The renewed lease' },
    errors: [400, 401, 403, 404, 409, 413],
  },
})
