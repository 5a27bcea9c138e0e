import { producedTasksSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { produceEpisodeSchema } from '@/services/schemas/productionSchemas'

/** The contract of /api/v1/episodes/{id}/produce (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/episodes/{id}/produce', {
  post: {
    operationId: 'produceEpisode',
    summary:
      "Plan the episode's task graph (members who may write it): storyboard plan, panel images, video, dialogue track and scene cut per pending or failed scene, with dependencies; filled slots are skipped unless force; a scene already generating answers its open tasks",
    body: produceEpisodeSchema.omit({ episodeId: true }),
    response: { status: 202, schema: producedTasksSchema, description: 'The tasks of the plan (enqueued now or already open)' },
    errors: [400, 401, 404, 413],
  },
})
