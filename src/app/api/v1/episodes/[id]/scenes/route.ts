import type { FindScenesByEpisodeDTO } from '@/services/schemas/sceneSchemas'

import { apiRoute } from '@/lib/api/apiRoute'
import { sceneService } from '@/services/sceneService'

/** GET /api/v1/episodes/{id}/scenes?status=&page=&limit= — the episode's scenes in scene order. */
export const GET = apiRoute<{ id: string }>(({ actor, params, query }) =>
  sceneService.findByEpisode({ actor, ...(query as FindScenesByEpisodeDTO), episodeId: params.id }),
)
