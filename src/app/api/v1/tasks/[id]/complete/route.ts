import type { CompleteTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** POST /api/v1/tasks/{id}/complete {workerId, output} — the holder finishes the task (409 for anyone else). */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => taskService.complete({ actor, id: params.id, ...((body ?? {}) as CompleteTaskDTO) }),
  { acceptsQuery: false },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
