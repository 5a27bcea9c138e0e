import type { CollaboratorDTO } from '@/services/schemas/projectSchemas'

import { apiRoute } from '@/lib/api/apiRoute'
import { projectService } from '@/services/projectService'

// Untrusted until the service's schema has parsed it; a body that is not an object is passed on to be rejected.
const asDTO = (body: unknown) => (body && typeof body === 'object' && !Array.isArray(body) ? body : { body }) as CollaboratorDTO

/** POST /api/v1/projects/{id}/collaborators {userId} — owner or admin adds a collaborator. */
export const POST = apiRoute<{ id: string }>(
  ({ actor, params, body }) => projectService.addCollaborator({ actor, ...asDTO(body), projectId: params.id }),
  { status: 201, acceptsQuery: false },
)

/** DELETE /api/v1/projects/{id}/collaborators {userId} — owner or admin removes a collaborator. */
export const DELETE = apiRoute<{ id: string }>(
  ({ actor, params, body }) => projectService.removeCollaborator({ actor, ...asDTO(body), projectId: params.id }),
  { acceptsQuery: false },
)
