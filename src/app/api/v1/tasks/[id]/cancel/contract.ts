import { taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { cancelTaskSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/{id}/cancel (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/{id}/cancel', {
  post: {
    summary: 'Members: cancel a task — a queued one at once, a processing one at its next heartbeat',
    body: cancelTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The task (cancelled, or processing until its heartbeat)' },
    errors: [400, 401, 403, 404, 409, 413],
  },
})
