import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import { QuotaExceeded, type Quotas } from './quotas'

/**
 * FerretDB has no transactions, so the count-then-insert of a quota check can let concurrent creates through. Right
 * after its insert, each create ranks itself among the documents in the quota's scope by id (ObjectIds grow with
 * time and every racer sees the same order): one ranked beyond `limit` removes its document again and answers the
 * same 403. The first `limit` documents never remove themselves, so every later racer counts them and gives way:
 * exactly `limit` stay, and no create that fits is refused. Without a race it changes nothing. On MongoDB the throw
 * also rolls back the create's transaction.
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
  const { totalDocs: rank } = await req.payload.count({
    collection,
    where: { and: [where, { id: { less_than_equal: docId } }] },
    overrideAccess: true,
    req,
  })
  if (rank <= limit) return
  // A raw delete: the document never counted as created, so no hooks (and no audit entry) run for it.
  await req.payload.db.deleteOne({ collection, where: { id: { equals: docId } }, req })
  throw new QuotaExceeded({ limit: quota, value: limit, detail })
}
