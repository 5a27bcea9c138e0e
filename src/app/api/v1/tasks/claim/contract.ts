import { claimedTaskSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { claimTaskSchema } from '@/services/schemas/taskSchemas'

/** The contract of /api/v1/tasks/claim (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/tasks/claim', {
  post: {
    summary: 'Worker (API key): claim the next task of these types — highest priority, oldest, dependencies completed',
    body: claimTaskSchema,
    response: { status: 200, schema: claimedTaskSchema, description: 'The claimed task with its lease' },
    noContent: 'Nothing is claimable now',
    errors: [400, 401, 403, 413],
  },
})
