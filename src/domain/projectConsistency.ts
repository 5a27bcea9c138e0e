import type { CollectionSlug, PayloadRequest } from 'payload'

import { relationId } from './references'

export type FieldError = { path: string; message: string }

/** A reference a document makes, to be checked against the project the document belongs to. */
export type ProjectReference = { path: string; collection: CollectionSlug; id: string }

const labels: Partial<Record<CollectionSlug, string>> = {
  media: 'Media',
  characters: 'Character',
  episodes: 'Episode',
  scenes: 'Scene',
}

/** Loads `select`ed fields of the referenced documents, one query per collection (an `_id $in` lookup). */
export async function loadReferenced({
  req,
  collection,
  ids,
  select,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  ids: string[]
  select: Record<string, true>
}): Promise<Map<string, Record<string, unknown>>> {
  const unique = [...new Set(ids)]
  if (unique.length === 0) return new Map()
  const { docs } = await req.payload.find({
    collection,
    where: { id: { in: unique } },
    select,
    depth: 0,
    limit: unique.length,
    pagination: false,
    // Consistency is checked against the stored documents, whatever the caller may read; whether the caller may
    // reference them at all is the access rules' concern.
    overrideAccess: true,
    req,
  })
  return new Map(docs.map((doc) => [String(doc.id), doc as unknown as Record<string, unknown>]))
}

/**
 * One error per reference whose document does not exist or belongs to a project other than `projectId` (or to
 * none). Payload itself accepts any well-formed id in a relationship, so a dangling reference is caught here.
 */
export async function findProjectMismatches({
  req,
  projectId,
  references,
}: {
  req: PayloadRequest
  projectId: string
  references: ProjectReference[]
}): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const byCollection = new Map<CollectionSlug, ProjectReference[]>()
  for (const reference of references) {
    byCollection.set(reference.collection, [...(byCollection.get(reference.collection) ?? []), reference])
  }
  for (const [collection, refs] of byCollection) {
    const found = await loadReferenced({ req, collection, ids: refs.map((r) => r.id), select: { project: true } })
    for (const ref of refs) {
      const doc = found.get(ref.id)
      if (!doc) {
        errors.push({ path: ref.path, message: `${labels[collection] ?? collection} ${ref.id} does not exist.` })
        continue
      }
      const owner = relationId(doc.project)
      if (owner !== projectId) {
        errors.push({
          path: ref.path,
          message: `${labels[collection] ?? collection} ${ref.id} belongs to ${owner ? `another project (${owner})` : 'no project'}, not to project ${projectId}.`,
        })
      }
    }
  }
  return errors
}
