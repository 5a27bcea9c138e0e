import type { FindProjectsByUserDTO } from '@/services/schemas/projectSchemas'

import { apiRoute } from '@/lib/api/apiRoute'
import { projectService } from '@/services/projectService'

/** GET /api/v1/projects?status=&genre=&role=&page=&limit= — projects I own or collaborate on (validated by the service). */
export const GET = apiRoute(({ actor, query }) => projectService.findByUser({ actor, ...(query as FindProjectsByUserDTO) }))
