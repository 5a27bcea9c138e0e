import type { CompleteTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/{id}/complete {workerId, output} — the holder finishes the task (409 for anyone else). */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.complete(serviceArgs<CompleteTaskDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
