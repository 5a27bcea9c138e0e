import type { CreateTaskDTO, FindTasksDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** GET /api/v1/tasks?status=queued&projectId=&taskType=&page=&limit= — priority desc, oldest first. */
export const GET = apiRoute(({ actor, query }) => taskService.findByStatus(serviceArgs<FindTasksDTO>(query, { actor })), { contract: contract.operations.get })

/** POST /api/v1/tasks — enqueue (members of the task's project). */
export const POST = apiRoute(({ actor, body }) => taskService.create({ actor, data: body as CreateTaskDTO }), { contract: contract.operations.post })

export const { PUT, PATCH, DELETE } = otherMethods({ GET, POST })
