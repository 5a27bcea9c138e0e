import { taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { completeTaskSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/{id}/complete (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/{id}/complete', {
  post: {
    summary: 'Worker: finish the held task with its output and metrics',
    body: completeTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The completed task' },
    errors: [400, 401, 403, 404, 409, 413],
  },
})
