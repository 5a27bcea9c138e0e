import type { CancelTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** POST /api/v1/tasks/{id}/cancel {reason?} — members; a processing task stops at its next heartbeat. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.cancel({ actor, id: params.id, ...((body ?? {}) as CancelTaskDTO) }),
  { acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
