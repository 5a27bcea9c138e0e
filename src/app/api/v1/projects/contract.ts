import { pageOf, projectSummarySchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { findProjectsByUserSchema } from '@/services/schemas/projectSchemas'

/** The contract of /api/v1/projects (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects', {
  get: {
    operationId: 'listProjects',
    summary: 'Projects the caller owns or collaborates on, most recently updated first',
    query: findProjectsByUserSchema,
    response: { status: 200, schema: pageOf(projectSummarySchema, 'ProjectSummary'), description: 'One page of projects' },
    errors: [400, 401, 403],
    errorNotes: { 403: 'A worker\'s API key: workers read no projects' },
  },
})
