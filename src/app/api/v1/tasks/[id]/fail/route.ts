import type { FailTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/{id}/fail {workerId, error, retryable?} — queued again after its backoff, or failed for good. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.fail(serviceArgs<FailTaskDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
