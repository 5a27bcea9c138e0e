import { scriptFileSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { exportScriptSchema } from '@/services/schemas/screenplaySchemas'

/** The contract of /api/v1/episodes/{id}/script (docs/API.md, "Route contracts"; "Screenplays and shot lists"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/script', {
  get: {
    operationId: 'exportEpisodeScript',
    summary: 'The episode rebuilt from its scenes as Fountain (text/plain) or Final Draft (application/xml); importing it gives the same scenes',
    query: exportScriptSchema.omit({ episodeId: true }),
    response: { status: 200, schema: scriptFileSchema, description: 'The script, as a download', contentTypes: ['text/plain', 'application/xml'] },
    errors: [400, 401, 404],
  },
})
