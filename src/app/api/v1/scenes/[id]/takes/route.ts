import { apiRoute, otherMethods } from '@/http/apiRoute'
import { productionService } from '@/services/productionService'

import { contract } from './contract'

/** GET /api/v1/scenes/{id}/takes — every generated result of the scene by slot, with the one in use. */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => productionService.takes({ actor, sceneId: params.id }), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
