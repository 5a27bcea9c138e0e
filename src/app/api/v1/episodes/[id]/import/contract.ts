import { screenplayImportSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { textUploadNotes, uploadedFileSchema } from '@/http/openapi/uploadBodies'
import { importScreenplaySchema } from '@/services/schemas/screenplaySchemas'

const importFields = importScreenplaySchema.omit({ episodeId: true, text: true }).partial({ format: true })

/** The contract of /api/v1/episodes/{id}/import (docs/API.md, "Route contracts"; "Screenplays and shot lists"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/import', {
  post: {
    operationId: 'importEpisodeScreenplay',
    summary:
      'Import a Fountain or Final Draft screenplay into the episode (members who may write it): scenes from the headings, characters created once (matched by name), the text as script.content; mode append|replace, dryRun answers the preview; all or nothing; progress as `screenplay.import` events on the project events stream; one import per episode at a time',
    body: importScreenplaySchema.omit({ episodeId: true }),
    bodyContent: {
      'multipart/form-data': importFields
        .extend({ file: uploadedFileSchema })
        .describe('`format` may be left out: a `.fdx` file name is Final Draft, any other Fountain'),
    },
    response: { status: 200, schema: screenplayImportSchema, description: 'What was created (or, with dryRun, would be)' },
    errors: [400, 401, 404, 409, 413],
    errorNotes: {
      ...textUploadNotes,
      409: 'An append of a screenplay the episode already holds (same text or same scenes), or a replace that would remove scenes with generated media (`error.details.scenes`); send force to go ahead. Also while another import into the episode is running (`error.details.episode`; force does not skip it): retry when it has finished',
    },
  },
})
