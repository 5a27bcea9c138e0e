import { keysetPageOf, taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract, paidWorkNotes } from '@/http/openapi/routeContract'
import { createTaskSchema, findTasksSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks', {
  get: {
    operationId: 'listTasks',
    summary: 'Tasks in one status (queued by default), highest priority first, then oldest first',
    query: findTasksSchema,
    response: { status: 200, schema: keysetPageOf(taskSchema, 'Task'), description: 'One page of tasks' },
    errors: [400, 401],
  },
  post: {
    summary:
      'Enqueue a task (members of its project); episode, scene, character, dependencies, prompt execution and media of the same project; within the owner\'s tier budgets and the enqueue rate limit',
    body: createTaskSchema,
    response: { status: 201, schema: taskSchema, description: 'The queued task' },
    errors: [400, 401, 403, 404, 413, 429],
    errorNotes: paidWorkNotes,
  },
})
