import { promptExecutionSchema, taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract, paidWorkNotes } from '@/http/openapi/routeContract'
import { executePromptSchema, executeQuerySchema } from '@/services/schemas/promptTemplateSchemas'

/** The contract of /api/v1/prompt-templates/{id}/execute (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/prompt-templates/{id}/execute', {
  post: {
    summary:
      'Run a template for a project (members): 202 the queued task (script_generation for LLMs, image_generation for fal models); with ?wait=true, 200 the execution record of one inline attempt',
    query: executeQuerySchema,
    body: executePromptSchema,
    response: { status: 202, schema: taskSchema, description: 'The queued task (input.parameters names the template, version and inputs)' },
    alternative: { status: 200, schema: promptExecutionSchema, description: 'With ?wait=true: the execution record (status success or error)' },
    errors: [400, 401, 403, 404, 413, 429],
    errorNotes: paidWorkNotes,
  },
})
