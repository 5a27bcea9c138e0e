import { taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { failTaskSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/{id}/fail (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/{id}/fail', {
  post: {
    summary: 'Worker: report a failure; queued again after its backoff while retries remain, otherwise failed for good',
    body: failTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The task, queued again or failed' },
    errors: [400, 401, 403, 404, 409, 413],
  },
})
