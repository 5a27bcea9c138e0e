import type { HeartbeatDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/{id}/heartbeat {workerId, progress?} — renew the lease; {leaseExpiresAt, cancelRequested}. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.heartbeat(serviceArgs<HeartbeatDTO & { id: string }>(body, { actor, id: params.id })),
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
