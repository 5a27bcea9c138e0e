import type { CollectionBeforeDeleteHook, CollectionSlug, Where } from 'payload'

import { ConflictError } from '../errors'

/**
 * The deletion policy (docs/DOMAIN.md): a document that other documents point at cannot be deleted; the caller
 * deletes or moves the children first, so nothing is lost by accident. Answers 409 with the counts.
 */
export function refuseDeleteWithChildren({
  label,
  children,
}: {
  label: string
  /** `where` narrows the children that block (e.g. only open tasks). */
  children: { collection: CollectionSlug; field: string; label: string; where?: Where }[]
}): CollectionBeforeDeleteHook {
  return async ({ id, req }) => {
    const found: { label: string; count: number }[] = []
    for (const child of children) {
      const { totalDocs } = await req.payload.count({
        collection: child.collection,
        where: { [child.field]: { equals: id }, ...child.where },
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
