import type { ExecutePromptDTO } from '@/services/schemas/promptTemplateSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { parseInput } from '@/services/schemas/common'
import { executeQuerySchema } from '@/services/schemas/promptTemplateSchemas'
import { promptExecutionService } from '@/services/promptExecutionService'

import { contract } from './contract'

type Params = { id: string }

const enqueue = apiRoute<Params>(
  ({ actor, params, body, query }) => {
    parseInput(executeQuerySchema, query)
    return promptExecutionService.enqueue(serviceArgs<ExecutePromptDTO & { templateId: string }>(body, { actor, templateId: params.id }))
  },
  { contract: contract.operations.post },
)

// ?wait=true answers the contract's alternative: the execution record.
const executeNow = apiRoute<Params>(
  ({ actor, params, body }) =>
    promptExecutionService.executeNow(serviceArgs<ExecutePromptDTO & { templateId: string }>(body, { actor, templateId: params.id })),
  { contract: contract.operations.post, status: contract.operations.post.alternative.status },
)

/**
 * POST /api/v1/prompt-templates/{id}/execute {inputs, projectId, version?} — 202 the queued task; with `?wait=true`
 * 200 the execution record of one inline attempt (its status says whether the model's answer passed).
 */
export function POST(request: Request, context: { params: Promise<Params> }) {
  return new URL(request.url).searchParams.get('wait') === 'true' ? executeNow(request, context) : enqueue(request, context)
}

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
