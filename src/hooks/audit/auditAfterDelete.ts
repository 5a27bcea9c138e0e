import type { CollectionAfterDeleteHook } from 'payload'

import { recordAudit } from '../../audit/recordAudit'

/** Audits every delete. */
export const auditAfterDelete: CollectionAfterDeleteHook = async ({ collection, doc, id, req }) => {
  await recordAudit({ req, entry: { operation: 'delete', collection: collection.slug, documentId: String(doc?.id ?? id) } })
  return doc
}
