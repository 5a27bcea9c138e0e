import type { RetryTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/{id}/retry {priority?} — members; a failed or cancelled task is enqueued again as a new task. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.retry(serviceArgs<RetryTaskDTO & { id: string }>(body ?? {}, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
