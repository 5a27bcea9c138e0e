import type { FindMediaByProjectDTO } from '@/services/schemas/mediaSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { mediaService } from '@/services/mediaService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/media?mediaType=&status=&page=&limit= — the project's media, newest first. */
export const GET = apiRoute<{ id: string }>(({ actor, params, query }) =>
  mediaService.findByProject(serviceArgs<FindMediaByProjectDTO>(query, { actor, projectId: params.id })),
  { contract: contract.operations.get },
)

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
