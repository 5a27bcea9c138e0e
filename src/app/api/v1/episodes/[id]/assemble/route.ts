import type { AssembleEpisodeDTO } from '@/services/schemas/productionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

/** POST /api/v1/episodes/{id}/assemble `{ allowUnapproved?, priority? }` — 202 the episode cut task. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => productionService.assemble(serviceArgs<AssembleEpisodeDTO>(body, { actor, episodeId: params.id })),
  { status: 202, acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
