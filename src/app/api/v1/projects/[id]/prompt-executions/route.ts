import type { FindPromptExecutionsDTO } from '@/services/schemas/promptExecutionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { promptExecutionService } from '@/services/promptExecutionService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/prompt-executions?status=&model=&templateId=&page=&limit= — newest first. */
export const GET = apiRoute<{ id: string }>(({ actor, params, query }) =>
  promptExecutionService.findForProject(serviceArgs<FindPromptExecutionsDTO & { projectId: string }>(query, { actor, projectId: params.id })),
  { contract: contract.operations.get },
)

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
