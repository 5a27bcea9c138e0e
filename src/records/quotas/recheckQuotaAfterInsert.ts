import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import type { Quotas } from '../../domain/quotas/tiers'

import { QuotaExceededError } from '../../errors'

/** How often a create that ranks within the limit recounts while racers beyond it are still removing themselves. */
const settleAttempts = 20
const settleDelayMs = 25

/**
 * FerretDB has no transactions, so the count-then-insert of a quota check can let concurrent creates through. Right
 * after its insert, each create ranks itself among the documents in the quota's scope by id: one ranked beyond
 * `limit` removes its document again and answers the same 403. An id is drawn before its insert lands, so a racer
 * may rank itself before a smaller id is visible; ranking alone is therefore not enough. A create ranked within the
 * limit stays only once it sees at most `limit` documents in the scope, recounting while the racers beyond the limit
 * remove themselves. Safe: the last stayer to count sees every stayer's insert, so at most `limit` stay. No create
 * that fits is refused unless the racers never settle (then it gives way with the same 403). Without a race the first
 * count decides. On MongoDB the count runs in the create's transaction and the throw also rolls the create back.
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
  // overrideAccess: system checks over every document in the quota's scope.
  const count = async (scope: Where) => (await req.payload.count({ collection, where: scope, overrideAccess: true, req })).totalDocs
  for (let attempt = 0; attempt < settleAttempts; attempt++) {
    if ((await count({ and: [where, { id: { less_than_equal: docId } }] })) > limit) break
    if ((await count(where)) <= limit) return
    await new Promise((resolve) => setTimeout(resolve, settleDelayMs * (attempt + 1)))
  }
  // A raw delete: the document never counted as created, so no hooks (and no audit entry) run for it.
  await req.payload.db.deleteOne({ collection, where: { id: { equals: docId } }, req })
  throw new QuotaExceededError({ limit: quota, value: limit, detail })
}
