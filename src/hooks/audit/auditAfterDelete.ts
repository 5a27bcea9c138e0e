import type { CollectionAfterDeleteHook } from 'payload'

import { isAuditDisabled, recordAudit } from './recordAudit'

/** Audits every delete. */
export const auditAfterDelete: CollectionAfterDeleteHook = async ({ collection, doc, id, req }) => {
  if (isAuditDisabled(req)) return doc
  await recordAudit({ req, entry: { operation: 'delete', collection: collection.slug, documentId: String(doc?.id ?? id) } })
  return doc
}
