import type { FindProjectsByUserDTO } from '@/services/schemas/projectSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { projectService } from '@/services/projectService'

import { contract } from './contract'

/** GET /api/v1/projects?status=&genre=&role=&page=&limit= — projects I own or collaborate on (validated by the service). */
export const GET = apiRoute(({ actor, query }) => projectService.findByUser(serviceArgs<FindProjectsByUserDTO>(query, { actor })), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
