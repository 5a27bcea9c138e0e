import { renderedPromptSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { renderPromptSchema } from '@/services/schemas/promptTemplateSchemas'

/** The contract of /api/v1/prompt-templates/{id}/render (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/prompt-templates/{id}/render', {
  post: {
    summary: 'Render a template (optionally an earlier version) with inputs; no model is called',
    body: renderPromptSchema,
    response: { status: 200, schema: renderedPromptSchema, description: 'The resolved prompt, the version used and the variables' },
    errors: [400, 401, 404, 413],
  },
})
