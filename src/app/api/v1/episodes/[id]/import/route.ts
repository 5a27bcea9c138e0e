import type { ImportScreenplayDTO } from '@/services/schemas/screenplaySchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { readUploadedText } from '@/http/uploadedText'
import { screenplayService } from '@/services/screenplayService'

import { contract } from './contract'

/** The format a file's name says, when the form does not: `.fdx` is Final Draft, anything else Fountain. */
const formatOf = (filename?: string) => (filename ? (/\.fdx$/i.test(filename) ? 'fdx' : 'fountain') : undefined)

/**
 * POST /api/v1/episodes/{id}/import — a screenplay (multipart `file`, or JSON `{ format, text }`) into the episode;
 * `mode` append|replace, `dryRun`, `force` as form fields or JSON keys (docs/API.md "Screenplays and shot lists").
 */
export const POST = apiRoute<{ id: string }>(
  async ({ actor, params, request }) => {
    const { fields, text, filename } = await readUploadedText(request)
    const format = fields.format ?? formatOf(filename)
    return screenplayService.importScreenplay(
      serviceArgs<ImportScreenplayDTO>({ ...fields, ...(format ? { format } : {}), ...(text === undefined ? {} : { text }) }, { actor, episodeId: params.id }),
    )
  },
  { contract: contract.operations.post },
)

export const { GET, PUT, PATCH, DELETE } = otherMethods({ POST })
