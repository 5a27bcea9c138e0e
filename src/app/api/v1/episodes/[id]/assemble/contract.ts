import { taskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { assembleEpisodeSchema } from '@/services/schemas/productionSchemas'

/** The contract of /api/v1/episodes/{id}/assemble (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/assemble', {
  post: {
    operationId: 'assembleEpisode',
    summary:
      'Enqueue the episode cut: the scene cuts in scene order → metadata.finalVideo, thumbnail, subtitles (WebVTT from the dialogue timings) and duration; 409 naming the scenes not approved unless allowUnapproved, or without a scene cut',
    body: assembleEpisodeSchema.omit({ episodeId: true }),
    response: { status: 202, schema: taskSchema, description: 'The episode cut task (an open one is answered again)' },
    errors: [400, 401, 404, 409, 413],
  },
})
