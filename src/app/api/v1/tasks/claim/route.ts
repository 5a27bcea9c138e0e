import type { ClaimTaskDTO } from '@/services/schemas/taskSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { taskService } from '@/services/taskService'

import { contract } from './contract'

/** POST /api/v1/tasks/claim {workerId, types?} — the next task with its lease, or 204 when none is claimable. */
export const POST = apiRoute(({ actor, body }) => taskService.claim(serviceArgs<ClaimTaskDTO>(body, { actor })), { contract: contract.operations.post })

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
