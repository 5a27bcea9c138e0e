import { shotListFileSchema, shotListImportSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { textUploadNotes, uploadedFileSchema } from '@/http/openapi/uploadBodies'
import { exportShotListSchema, importShotListSchema } from '@/services/schemas/screenplaySchemas'
import { z } from 'zod'

/** The contract of /api/v1/episodes/{id}/scenes.csv (docs/API.md, "Route contracts"; "Screenplays and shot lists"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/scenes.csv', {
  get: {
    operationId: 'exportEpisodeShotList',
    summary: "The episode's shot list as CSV (streamed; `bom=1` for spreadsheets)",
    query: exportShotListSchema,
    response: { status: 200, schema: shotListFileSchema, description: 'The shot list, as a download', contentTypes: ['text/csv'] },
    errors: [400, 401, 404],
  },
  post: {
    operationId: 'importEpisodeShotList',
    summary:
      'Re-import an edited shot list: rows with an id update title, location, timeOfDay, mood, duration where changed; rows without one create a scene; unknown columns ignored with a notice',
    body: importShotListSchema.omit({ episodeId: true }),
    bodyContent: {
      'multipart/form-data': z.object({ file: uploadedFileSchema }),
      'text/csv': z.string().describe('The CSV itself as the body'),
    },
    response: { status: 200, schema: shotListImportSchema, description: 'What each row did' },
    errors: [400, 401, 404, 413],
    errorNotes: {
      400: 'A row that cannot be taken (nothing is written): `error.details.line`, and `issues[0].path` = rows.<row>.<column>',
      413: textUploadNotes[413],
    },
  },
})
