import type { ProduceEpisodeDTO } from '@/services/schemas/productionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

/** POST /api/v1/episodes/{id}/produce `{ scenes?, steps?, priority?, force? }` — 202 `{ tasks }`: the episode's task graph. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => productionService.produce(serviceArgs<ProduceEpisodeDTO>(body, { actor, episodeId: params.id })),
  { status: 202, acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
