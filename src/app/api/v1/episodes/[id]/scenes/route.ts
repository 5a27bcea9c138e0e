import type { FindScenesByEpisodeDTO } from '@/services/schemas/sceneSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { sceneService } from '@/services/sceneService'

import { contract } from './contract'

/** GET /api/v1/episodes/{id}/scenes?status=&page=&limit= — the episode's scenes in scene order. */
export const GET = apiRoute<{ id: string }>(({ actor, params, query }) =>
  sceneService.findByEpisode(serviceArgs<FindScenesByEpisodeDTO>(query, { actor, episodeId: params.id })),
  { contract: contract.operations.get },
)

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
