import type { CollectionSlug, PayloadRequest } from 'payload'

import { FieldValidationError } from '../errors'

import { ProjectWriteForbidden } from '../errors'
import { isAdminUser } from '../model/roles'
import { relationId } from '../model/references'

const labels: Partial<Record<CollectionSlug, string>> = { episodes: 'Episode', scenes: 'Scene', characters: 'Character' }

/**
 * The project of the document a write takes its project from (a scene's episode; a medium's episode, scene or
 * character). checkProjectWrite then decides whether the caller may write into it. A missing parent answers like
 * a parent in a project the caller may not write into (403), so nobody learns which ids exist elsewhere — except
 * admins and system code, who read everything and get the plain 400.
 */
export async function projectOfParent({
  req,
  collection,
  id,
  path,
  writing,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  id: string
  /** The field that names the parent. */
  path: string
  /** The collection being written. */
  writing: CollectionSlug
}): Promise<string> {
  const parent = await req.payload.findByID({
    collection,
    id,
    select: { project: true },
    depth: 0,
    disableErrors: true,
    overrideAccess: true, // deriving a value from the parent, whatever the caller may read; access follows it
    req,
  })
  const projectId = relationId((parent as { project?: unknown } | null)?.project)
  if (projectId) return projectId
  if (req.user && !isAdminUser(req.user)) throw new ProjectWriteForbidden()
  throw new FieldValidationError({ collection: writing, errors: [{ path, message: `${labels[collection] ?? collection} ${id} does not exist.` }] })
}
