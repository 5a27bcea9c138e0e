import type { FindTasksDTO } from '@/services/schemas/taskSchemas'

import { apiRoute } from '@/lib/api/apiRoute'
import { taskService } from '@/services/taskService'

/** GET /api/v1/tasks?status=queued&projectId=&taskType=&page=&limit= — priority desc, oldest first. */
export const GET = apiRoute(({ actor, query }) => taskService.findByStatus({ actor, ...(query as FindTasksDTO) }))
