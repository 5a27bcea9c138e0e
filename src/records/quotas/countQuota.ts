import type { CollectionAfterChangeHook, PayloadRequest, TypedUser, Where } from 'payload'

import type { Quotas } from '../../domain/quotas/tiers'

import { QuotaExceededError } from '../../errors'
import { areQuotasEnforced, loadOwner } from './quotaOwner'
import { resolveQuotas } from '../../domain/quotas/tiers'
import { recheckQuotaAfterInsert } from './recheckQuotaAfterInsert'

type CountLimit = 'maxProjects' | 'maxEpisodesPerProject' | 'maxOpenTasks'

/** Whose subscription sets the limit, and which documents count against it. */
export type QuotaScope = { ownerId: string | undefined; where: Where }

/**
 * One counted quota (open tasks per owner): the check before a create, counting the documents in the scope, and its
 * second half after the insert for creates that raced past the count (recheckQuotaAfterInsert). Projects and episodes
 * hold quota slots instead (quotaSlots.ts): on MongoDB counts taken in concurrent transactions do not see each other
 * (docs/CONCURRENCY.md, known gaps).
 */
export function countQuota({
  collection,
  limit,
  describe,
  scopeOf,
}: {
  collection: 'projects' | 'episodes' | 'tasks'
  limit: CountLimit
  /** "at most 3 projects" */
  describe: (max: number) => string
  /** The scope of a document being written (its data before the insert, the stored document after). */
  scopeOf: (req: PayloadRequest, doc: Record<string, unknown>) => Promise<QuotaScope | null>
}) {
  const limitFor = async (req: PayloadRequest, scope: QuotaScope) =>
    resolveQuotas((await loadOwner(req, scope.ownerId)) as Parameters<typeof resolveQuotas>[0] & TypedUser)[limit] as Quotas[CountLimit]

  /** Refuses a create (or a hand-over) that would go beyond the owner's limit: 403 naming it, nothing stored. */
  const check = async (req: PayloadRequest, doc: Record<string, unknown>): Promise<void> => {
    if (!areQuotasEnforced(req)) return
    const scope = await scopeOf(req, doc)
    if (!scope) return
    const max = await limitFor(req, scope)
    // overrideAccess: counting the scope is a system check, whatever the caller may read.
    const { totalDocs } = await req.payload.count({ collection, where: scope.where, overrideAccess: true, req })
    if (totalDocs >= max) throw new QuotaExceededError({ limit, value: max, detail: describe(max) })
  }

  const recheck: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
    if (operation !== 'create' || !areQuotasEnforced(req)) return doc
    const scope = await scopeOf(req, doc)
    if (!scope) return doc
    const max = await limitFor(req, scope)
    await recheckQuotaAfterInsert({ req, collection, where: scope.where, docId: doc.id, limit: max, quota: limit, detail: describe(max) })
    return doc
  }

  return { check, recheck }
}
