import { taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract, paidWorkNotes } from '@/http/openapi/routeContract'
import { retryTaskSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/{id}/retry (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/{id}/retry', {
  post: {
    summary: 'Members: enqueue a failed or cancelled task again, as a new task with the same definition (optionally another priority)',
    body: retryTaskSchema,
    response: { status: 201, schema: taskSchema, description: 'The new queued task' },
    errors: [400, 401, 403, 404, 409, 413, 429],
    errorNotes: { ...paidWorkNotes, 409: 'The task is still open or completed (details.status, details.allowed)' },
  },
})
