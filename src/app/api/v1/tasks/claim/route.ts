import type { ClaimTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

/** POST /api/v1/tasks/claim {workerId, types?} — the next task with its lease, or 204 when none is claimable. */
export const POST = apiRoute(({ actor, body }) => taskService.claim(serviceArgs<ClaimTaskDTO>(body, { actor })), {
  acceptsQuery: false,
  noContentWhenNull: true,
})

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
