import type { ExportShotListDTO, ImportShotListDTO } from '@/services/schemas/screenplaySchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { fileResponse } from '@/http/fileResponse'
import { mediaLink } from '@/http/mediaLink'
import { readUploadedText } from '@/http/uploadedText'
import { shotListService } from '@/services/shotListService'

import { contract } from './contract'

/** GET /api/v1/episodes/{id}/scenes.csv?bom=1 — the episode's shot list, streamed. */
export const GET = apiRoute<{ id: string }>(async ({ actor, params, query, request }) =>
  fileResponse(
    await shotListService.exportEpisode(
      serviceArgs<ExportShotListDTO & { episodeId: string; mediaUrl: (id: string) => string }>(query, {
        actor,
        episodeId: params.id,
        mediaUrl: mediaLink(request),
      }),
    ),
  ),
  { contract: contract.operations.get },
)

/** POST /api/v1/episodes/{id}/scenes.csv — the edited shot list (multipart `file`, or the CSV as the body). */
export const POST = apiRoute<{ id: string }>(
  async ({ actor, params, request }) => {
    const { fields, text } = await readUploadedText(request)
    return shotListService.importShotList(serviceArgs<ImportShotListDTO>({ ...fields, ...(text === undefined ? {} : { text }) }, { actor, episodeId: params.id }))
  },
  { contract: contract.operations.post },
)

export const { PUT, PATCH, DELETE } = otherMethods({ GET, POST })
