import type { AssembleEpisodeDTO } from '@/services/schemas/productionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

import { contract } from './contract'

/** POST /api/v1/episodes/{id}/assemble `{ allowUnapproved?, priority? }` — 202 the episode cut task. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => productionService.assemble(serviceArgs<AssembleEpisodeDTO>(body, { actor, episodeId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
