import { pageOf, sceneSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { findScenesByEpisodeSchema } from '@/services/schemas/sceneSchemas'

/** The contract of /api/v1/episodes/{id}/scenes (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/scenes', {
  get: {
    operationId: 'listEpisodeScenes',
    summary: "The episode's scenes in scene order",
    query: findScenesByEpisodeSchema.omit({ episodeId: true }),
    response: { status: 200, schema: pageOf(sceneSchema, 'Scene'), description: 'One page of scenes' },
    errors: [400, 401, 403, 404],
    errorNotes: { 403: 'A worker\'s API key: workers read no scene lists' },
  },
})
