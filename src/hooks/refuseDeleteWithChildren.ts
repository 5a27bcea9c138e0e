import type { CollectionBeforeDeleteHook, CollectionSlug, Where } from 'payload'

import type { PayloadRequest } from 'payload'

import { relationId } from '../model/references'
import { ConflictError } from '../errors'

/**
 * The deletion policy (docs/DOMAIN.md): a document that other documents point at cannot be deleted; the caller
 * deletes or moves the children first, so nothing is lost by accident. Answers 409 with the counts.
 */
export function refuseDeleteWithChildren({
  label,
  children,
  inProject = false,
}: {
  label: string
  /** `where` narrows the children that block (e.g. only open tasks). */
  children: { collection: CollectionSlug; field: string; label: string; where?: Where }[]
  /**
   * The document and its children belong to one project: each count names it, so that it goes to one shard and
   * uses the children's (project, …) indexes (docs/OPERATIONS.md, Sharding).
   */
  inProject?: boolean
}): CollectionBeforeDeleteHook {
  return async ({ collection, id, req }) => {
    const found: { label: string; count: number }[] = []
    const project = inProject ? await projectOf({ collection: collection.slug, id, req }) : undefined
    for (const child of children) {
      const { totalDocs } = await req.payload.count({
        collection: child.collection,
        where: { [child.field]: { equals: id }, ...(project ? { project: { equals: project } } : {}), ...child.where },
        // The policy counts every child, including the ones the caller cannot see.
        overrideAccess: true,
        req,
      })
      if (totalDocs > 0) found.push({ label: child.label, count: totalDocs })
    }
    if (found.length > 0) {
      const list = found.map(({ label: name, count }) => `${count} ${name}`).join(', ')
      throw new ConflictError({
        message: `This ${label} still has ${list}. Delete or move them first; nothing is deleted.`,
        details: { children: Object.fromEntries(found.map(({ label: name, count }) => [name, count])) },
      })
    }
  }
}

/** The project of the document being deleted (read by id, every document counted whatever the caller may read). */
async function projectOf({ collection, id, req }: { collection: CollectionSlug; id: string | number; req: PayloadRequest }) {
  const doc = await req.payload.findByID({
    collection,
    id,
    depth: 0,
    select: { project: true } as never,
    // the policy reads the document whatever the caller may read (the delete's own access check decides the rest)
    overrideAccess: true,
    disableErrors: true,
    req,
  })
  return relationId((doc as { project?: unknown } | null)?.project)
}
