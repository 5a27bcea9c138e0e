import type { CollectionAfterChangeHook } from 'payload'

import { changedFieldPaths } from './changedFieldPaths'
import { AUDIT_SECRET_INPUTS } from './noteSecretInputs'
import { isAuditDisabled, recordAudit } from './recordAudit'

/** Audits every create and update with the paths that changed. */
export const auditAfterChange: CollectionAfterChangeHook = async ({ collection, doc, previousDoc, data, operation, req }) => {
  if (isAuditDisabled(req)) return doc
  const secretInputs = (req.context[AUDIT_SECRET_INPUTS] as string[] | undefined) ?? []
  delete req.context[AUDIT_SECRET_INPUTS]
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
