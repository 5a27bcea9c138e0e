import type { ProduceEpisodeDTO } from '@/services/schemas/productionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

import { contract } from './contract'

/** POST /api/v1/episodes/{id}/produce `{ scenes?, steps?, priority?, force? }` — 202 `{ tasks }`: the episode's task graph. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => productionService.produce(serviceArgs<ProduceEpisodeDTO>(body, { actor, episodeId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
