import type { RenderPromptDTO } from '@/services/schemas/promptTemplateSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { promptTemplateService } from '@/services/promptTemplateService'

import { contract } from './contract'

/** POST /api/v1/prompt-templates/{id}/render {inputs, version?} — the resolved prompt, no model call. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => promptTemplateService.render(serviceArgs<RenderPromptDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
