import type { ReorderScenesDTO } from '@/services/schemas/sceneSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { sceneService } from '@/services/sceneService'

import { contract } from './contract'

/** POST /api/v1/episodes/{id}/scenes/order `{ sceneIds }` — numbers the episode's scenes 1..n in the given order. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => sceneService.reorder(serviceArgs<ReorderScenesDTO>(body, { actor, episodeId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
