import type { StartSessionDTO } from '@/services/schemas/sessionSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { bodyObject } from '@/http/bodyObject'
import { sessionService } from '@/services/sessionService'

import { contract } from './contract'

/** POST /api/v1/sessions {project} — starts a conversation of the caller's on one of their projects. */
export const POST = apiRoute(({ actor, body }) => sessionService.start({ actor, data: bodyObject<StartSessionDTO>(body) }), { contract: contract.operations.post })

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
