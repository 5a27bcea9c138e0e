import type { FailTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** POST /api/v1/tasks/{id}/fail {workerId, error, retryable?} — queued again after its backoff, or failed for good. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.fail({ actor, id: params.id, ...((body ?? {}) as FailTaskDTO) }),
  { acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
