import { pageOf, promptExecutionSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { findPromptExecutionsSchema } from '@/services/schemas/promptExecutionSchemas'

/** The contract of /api/v1/projects/{id}/prompt-executions (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/prompt-executions', {
  get: {
    summary: "The project's prompt executions, newest first, optionally of one status, model or template",
    query: findPromptExecutionsSchema.omit({ projectId: true }),
    response: { status: 200, schema: pageOf(promptExecutionSchema, 'PromptExecution'), description: 'One page of executions' },
    errors: [400, 401, 404],
  },
})
