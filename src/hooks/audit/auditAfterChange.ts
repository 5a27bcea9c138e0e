import type { CollectionAfterChangeHook } from 'payload'

import { changedFieldPaths } from './changedFieldPaths'
import { recordAudit } from '../../audit/recordAudit'

/** Audits every create and update with the paths that changed. */
export const auditAfterChange: CollectionAfterChangeHook = async ({ collection, doc, previousDoc, data, operation, req }) => {
  const secretInputs = req.context.auditSecretInputs ?? []
  delete req.context.auditSecretInputs
  await recordAudit({
    req,
    entry: {
      operation,
      collection: collection.slug,
      documentId: String(doc.id),
      changedFields: changedFieldPaths({ before: operation === 'update' ? previousDoc : undefined, after: doc, data, secretInputs }),
    },
  })
  return doc
}
