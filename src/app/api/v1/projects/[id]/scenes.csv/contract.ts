import { shotListFileSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { exportShotListSchema } from '@/services/schemas/screenplaySchemas'

/** The contract of /api/v1/projects/{id}/scenes.csv (docs/API.md, "Route contracts"; "Screenplays and shot lists"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/scenes.csv', {
  get: {
    operationId: 'exportProjectShotList',
    summary: "Every episode's shot list in one CSV, episode by episode (streamed; `bom=1` for spreadsheets)",
    query: exportShotListSchema,
    response: { status: 200, schema: shotListFileSchema, description: 'The shot list, as a download', contentTypes: ['text/csv'] },
    errors: [400, 401, 404],
  },
})
