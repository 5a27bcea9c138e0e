import type { HeartbeatDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** POST /api/v1/tasks/{id}/heartbeat {workerId, progress?} — renew the lease; {leaseExpiresAt, cancelRequested}. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.heartbeat({ actor, id: params.id, ...((body ?? {}) as HeartbeatDTO) }),
  { acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
