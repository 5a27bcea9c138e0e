import { apiRoute, otherMethods } from '@/http/apiRoute'
import { projectService } from '@/services/projectService'

import { contract } from './contract'

/** GET /api/v1/projects/{id} — one project (cached per caller, invalidated by every write). */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => projectService.findById({ actor, id: params.id }), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
