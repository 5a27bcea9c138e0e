import type { ExportScriptDTO } from '@/services/schemas/screenplaySchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { fileResponse } from '@/http/fileResponse'
import { screenplayService } from '@/services/screenplayService'

import { contract } from './contract'

/** GET /api/v1/episodes/{id}/script?format=fountain|fdx — the episode rebuilt from its scenes, as a download. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params, query }) =>
  fileResponse(await screenplayService.exportScript(serviceArgs<ExportScriptDTO>(query, { actor, episodeId: params.id }))),
  { contract: contract.operations.get },
)

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
