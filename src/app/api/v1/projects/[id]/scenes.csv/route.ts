import type { ExportShotListDTO } from '@/services/schemas/screenplaySchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { fileResponse } from '@/http/fileResponse'
import { mediaLink } from '@/http/mediaLink'
import { shotListService } from '@/services/shotListService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/scenes.csv?bom=1 — every episode's shot list, episode by episode, streamed. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params, query, request }) =>
  fileResponse(
    await shotListService.exportProject(
      serviceArgs<ExportShotListDTO & { projectId: string; mediaUrl: (id: string) => string }>(query, {
        actor,
        projectId: params.id,
        mediaUrl: mediaLink(request),
      }),
    ),
  ),
  { contract: contract.operations.get },
)

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
