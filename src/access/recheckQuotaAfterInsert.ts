import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import { QuotaExceeded, type Quotas } from './quotas'

/**
 * FerretDB has no transactions, so the count-then-insert of a quota check can let concurrent creates through. Right
 * after its insert, a create that finds more than `limit` documents in the quota's scope removes its document again
 * and answers the same 403, so nothing over the limit stays stored. This never keeps too many: the last create to
 * keep its document saw every kept document (each was inserted before its own check) and at most `limit` of them.
 * Under a race it may refuse one that would have fitted; without one it changes nothing. On MongoDB the throw also
 * rolls back the create's transaction.
 */
export async function recheckQuotaAfterInsert({
  req,
  collection,
  where,
  docId,
  limit,
  quota,
  detail,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  where: Where
  docId: string | number
  limit: number
  quota: keyof Quotas
  detail: string
}): Promise<void> {
  // overrideAccess: a system check over every document in the quota's scope.
  const { totalDocs } = await req.payload.count({ collection, where, overrideAccess: true, req })
  if (totalDocs <= limit) return
  // A raw delete: the document never counted as created, so no hooks (and no audit entry) run for it.
  await req.payload.db.deleteOne({ collection, where: { id: { equals: docId } }, req })
  throw new QuotaExceeded({ limit: quota, value: limit, detail })
}
