import type { ReviewSceneDTO } from '@/services/schemas/productionSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

import { contract } from './contract'

/** POST /api/v1/scenes/{id}/review `{ decision: approve|reject, note?, regenerate? }` — 200 the scene. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, body, params }) => productionService.review(serviceArgs<ReviewSceneDTO>(body, { actor, sceneId: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
