import type { CollectionSlug, PayloadRequest } from 'payload'

import { slugs } from '../model/slugs'
import { relationId } from '../model/references'

export type FieldError = { path: string; message: string }

/** A reference a document makes, to be checked against the project the document belongs to. */
export type ProjectReference = { path: string; collection: CollectionSlug; id: string }

const labels: Partial<Record<CollectionSlug, string>> = {
  media: 'Media',
  characters: 'Character',
  episodes: 'Episode',
  scenes: 'Scene',
  tasks: 'Task',
  [slugs.promptsExecuted]: 'Prompt execution',
}

/** The field that names a document's project: `project`, or the text `projectId` of prompt executions. */
const projectFieldOf = (collection: CollectionSlug): string => (collection === slugs.promptsExecuted ? 'projectId' : 'project')

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
 * none), worded the same for both. Payload itself accepts any well-formed id in a relationship, so a dangling reference is caught here.
 */
const isObjectIdText = (id: string) => /^[0-9a-f]{24}$/i.test(id)

export async function findProjectMismatches({
  req,
  projectId,
  references,
  message = (ref) => `${labels[ref.collection] ?? ref.collection} ${ref.id} does not exist in project ${projectId}.`,
}: {
  req: PayloadRequest
  projectId: string
  references: ProjectReference[]
  /** The error for one reference (callers word it for their document); by default it names the kind, id and project. */
  message?: (ref: ProjectReference) => string
}): Promise<FieldError[]> {
  const errors: FieldError[] = []
  const byCollection = new Map<CollectionSlug, ProjectReference[]>()
  for (const reference of references) {
    byCollection.set(reference.collection, [...(byCollection.get(reference.collection) ?? []), reference])
  }
  for (const [collection, refs] of byCollection) {
    // A malformed id (e.g. in free-form metadata) names no document: not looked up, refused like a missing one.
    const field = projectFieldOf(collection)
    const found = await loadReferenced({ req, collection, ids: refs.map((r) => r.id).filter(isObjectIdText), select: { [field]: true } })
    for (const ref of refs) {
      // Missing and in another project read alike: the message never tells the caller that a document they may
      // not read exists, nor which project holds it.
      if (relationId(found.get(ref.id)?.[field]) !== projectId) {
        errors.push({ path: ref.path, message: message(ref) })
      }
    }
  }
  return errors
}
