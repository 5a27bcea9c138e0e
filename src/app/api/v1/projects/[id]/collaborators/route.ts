import type { CollaboratorDTO } from '@/services/schemas/projectSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { projectService } from '@/services/projectService'

import { contract } from './contract'

/** GET /api/v1/projects/{id}/collaborators — the project's members as `{ id, name, role }`, for anyone who reads it. */
export const GET = apiRoute<{ id: string }>(({ actor, params }) => projectService.listMembers({ actor, projectId: params.id }), { contract: contract.operations.get })

/** POST /api/v1/projects/{id}/collaborators {userId} — an admin adds a collaborator (others invite by email). */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => projectService.addCollaborator(serviceArgs<CollaboratorDTO & { projectId: string }>(body, { actor, projectId: params.id })),
  { contract: contract.operations.post },
)

/** DELETE /api/v1/projects/{id}/collaborators {userId} — owner or admin removes a collaborator. */
export const DELETE = apiRoute<{ id: string }>(
  ({ actor, params, body }) => projectService.removeCollaborator(serviceArgs<CollaboratorDTO & { projectId: string }>(body, { actor, projectId: params.id })),
  { contract: contract.operations.delete },
)

export const { PUT, PATCH } = otherMethods({ GET, POST, DELETE })
