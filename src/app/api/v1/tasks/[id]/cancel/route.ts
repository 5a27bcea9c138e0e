import type { CancelTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/{id}/cancel {reason?} — members; a processing task stops at its next heartbeat. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.cancel(serviceArgs<CancelTaskDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
