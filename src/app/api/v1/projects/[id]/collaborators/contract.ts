import { membersSchema, projectSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { collaboratorSchema } from '@/services/schemas/projectSchemas'

/** The contract of /api/v1/projects/{id}/collaborators (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/collaborators', {
  post: {
    operationId: 'addCollaborator',
    summary: 'Add a collaborator by id (admins; owners invite by email)',
    body: collaboratorSchema,
    response: { status: 201, schema: projectSchema, description: 'The project with its new collaborator' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  delete: {
    operationId: 'removeCollaborator',
    summary: 'Remove a collaborator (project owner or admin)',
    body: collaboratorSchema,
    response: { status: 200, schema: projectSchema, description: 'The project without the collaborator' },
    errors: [400, 401, 403, 404, 413],
  },
  get: {
    summary: "The project's members as { id, name, role } (the only way to see another account's name)",
    response: { status: 200, schema: membersSchema, description: 'Owner first, then collaborators' },
    errors: [400, 401, 404],
  },
})
