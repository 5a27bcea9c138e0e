import type { PatchSessionDTO } from '@/services/schemas/sessionSchemas'

import { apiRoute, otherMethods } from '@/http/apiRoute'
import { bodyObject } from '@/http/bodyObject'
import { sessionService } from '@/services/sessionService'

import { contract } from './contract'

/** GET /api/v1/sessions/{id} — the session with its latest messages (newest first) and the cursor to older ones. */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => sessionService.findWithMessages({ actor, id: params.id }), { contract: contract.operations.get })

/** PATCH /api/v1/sessions/{id} {currentStep?, contextData?, sessionState?} */
export const PATCH = apiRoute<{ id: string }>(
  ({ actor, params, body }) => sessionService.patch({ actor, id: params.id, data: bodyObject<PatchSessionDTO>(body) }),
  { contract: contract.operations.patch },
)

export const { POST, PUT, DELETE } = otherMethods({ GET, PATCH })
