import { sceneSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { reviewSceneSchema } from '@/services/schemas/productionSchemas'

/** The contract of /api/v1/scenes/{id}/review (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/scenes/{id}/review', {
  post: {
    operationId: 'reviewScene',
    summary: 'Review a scene in `reviewing` (members who may write it): approve → approved; reject → pending, and `regenerate` enqueues those parts again as a new attempt',
    body: reviewSceneSchema.omit({ sceneId: true }),
    response: { status: 200, schema: sceneSchema, description: 'The scene after the review' },
    errors: [400, 401, 404, 409, 413],
  },
})
