import type { CreateTaskDTO, FindTasksDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** GET /api/v1/tasks?status=queued&projectId=&taskType=&page=&limit= — priority desc, oldest first. */
export const GET = apiRoute(({ actor, query }) => taskService.findByStatus(serviceArgs<FindTasksDTO>(query, { actor })))

/** POST /api/v1/tasks — enqueue (members of the task's project). */
export const POST = apiRoute(({ actor, body }) => taskService.create({ actor, data: body as CreateTaskDTO }), { status: 201, acceptsQuery: false })

export const { PUT, PATCH, DELETE } = otherMethods({ GET, POST })
