import { apiRoute, otherMethods } from '@/http/apiRoute'
import { projectService } from '@/services/projectService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/overview — the project dashboard in a fixed number of queries. */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => projectService.getOverview({ actor, projectId: params.id }), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
