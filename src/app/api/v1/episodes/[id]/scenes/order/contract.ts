import { sceneOrderSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { reorderScenesSchema } from '@/services/schemas/sceneSchemas'

/** The contract of /api/v1/episodes/{id}/scenes/order (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/scenes/order', {
  post: {
    operationId: 'reorderEpisodeScenes',
    summary: "Re-order the episode's scenes: list each once, first first; they are numbered 1..n (members of the project)",
    body: reorderScenesSchema.omit({ episodeId: true }),
    response: { status: 200, schema: sceneOrderSchema, description: 'The scenes with their new numbers' },
    errors: [400, 401, 404, 409, 413],
  },
})
