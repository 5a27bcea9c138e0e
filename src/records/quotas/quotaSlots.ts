import type { CollectionAfterChangeHook, CollectionAfterDeleteHook, CollectionSlug, PayloadRequest, TypedUser, Where } from 'payload'

import type { Quotas } from '../../domain/quotas/tiers'

import { runAfterCommit } from '../../db/afterCommit'
import { isDuplicateKeyError } from '../../db/duplicateKey'
import { QuotaExceededError } from '../../errors'
import { areQuotasEnforced, loadOwner } from './quotaOwner'
import { resolveQuotas } from '../../domain/quotas/tiers'

/**
 * Counted quotas (projects per owner, episodes per project) as slots: a document holds one of its scope's `max`
 * numbered slots, `_id` "<quota>:<scope>:<n>" in the quota-slots collection, taken by a unique insert before the
 * document is written.
 *
 * Why not a count: on MongoDB the count runs in the create's transaction and does not see the other transactions'
 * inserts, so two creates each counting N−1 both pass (and so do two hand-overs of projects to one owner, on any
 * engine). The slot insert is made outside the transaction (no session), so a racer sees it at once, and a unique
 * insert is atomic on MongoDB and FerretDB alike: at most `max` documents hold a slot.
 *
 * Holders: the document is recorded on its slot once its transaction has committed (runAfterCommit), so a slot
 * whose holder is recorded belongs to a stored document. A slot with no holder belongs to a write in flight, or to
 * one that failed or rolled back; it is taken over once older than SLOT_TTL_MS (beyond MongoDB's 60 s transaction
 * lifetime). A slot whose holder was removed without giving it back (a raw delete) is taken over at once.
 * Creates not bound by quotas (admins, server code) take a slot too while one is free, and go on without one when
 * none is. Documents stored before slots existed hold none; they narrow the numbers a create may take, so the limit
 * counts them too (only those older than SLOT_TTL_MS: a younger one is a write in flight, counted by its slot).
 */
export const QUOTA_SLOTS = 'quota-slots'
const SLOT_TTL_MS = 90_000

type Slot = { _id: string; takenAt: Date; holder?: string }
type CountQuota = Extract<keyof Quotas, 'maxProjects' | 'maxEpisodesPerProject'>

export type SlotScope = {
  quota: CountQuota
  /** The scope's key: the owner's id (projects), the project's id (episodes). */
  key: string
  /** The documents counted in the scope. */
  collection: CollectionSlug
  where: Where
  max: number
  detail: string
}

const slotsOf = (req: PayloadRequest) => req.payload.db.connection.db!.collection<Slot>(QUOTA_SLOTS)
const prefixOf = ({ quota, key }: Pick<SlotScope, 'quota' | 'key'>) => `${quota}:${key}:`

/** Whether the document recorded on a slot is still stored, read outside any transaction (committed data only). */
async function isHolderStored(req: PayloadRequest, collection: CollectionSlug, holder: string): Promise<boolean> {
  const model = req.payload.db.collections[collection]
  return (await model.exists({ _id: holder }).catch(() => null)) !== null
}

/**
 * Takes a free slot in the scope for a document about to be written; when none is free, 403 naming the limit if
 * `enforced`, else no slot. Returns the slot's id, to be given to the document with `holdSlotAfterCommit`.
 */
export async function takeQuotaSlot(req: PayloadRequest, scope: SlotScope, { enforced }: { enforced: boolean }): Promise<string | undefined> {
  const slots = slotsOf(req)
  const prefix = prefixOf(scope)
  const held = await slots.find({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } }).toArray()
  const holders = held.flatMap((slot) => (slot.holder ? [slot.holder] : []))
  // overrideAccess: the quota counts every document of the scope, whatever the caller may read.
  const { totalDocs: withoutSlot } = await req.payload.count({
    collection: scope.collection,
    where: {
      and: [scope.where, { createdAt: { less_than: new Date(Date.now() - SLOT_TTL_MS).toISOString() } }, ...(holders.length > 0 ? [{ id: { not_in: holders } }] : [])],
    },
    overrideAccess: true,
    req,
  })
  const byId = new Map(held.map((slot) => [slot._id, slot]))
  for (let n = 1; n <= scope.max - withoutSlot; n++) {
    const _id = `${prefix}${n}`
    const slot = byId.get(_id)
    if (slot && !(await isAbandoned(req, scope.collection, slot))) continue
    // Racing takers may both delete an abandoned slot; the insert that follows admits only one of them.
    if (slot) await slots.deleteOne({ _id, takenAt: slot.takenAt })
    try {
      await slots.insertOne({ _id, takenAt: new Date() })
      return _id
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
  }
  if (enforced) throw new QuotaExceededError({ limit: scope.quota, value: scope.max, detail: scope.detail })
  return undefined
}

async function isAbandoned(req: PayloadRequest, collection: CollectionSlug, slot: Slot): Promise<boolean> {
  if (!slot.holder) return Date.now() - slot.takenAt.getTime() > SLOT_TTL_MS
  return !(await isHolderStored(req, collection, slot.holder))
}

/** Records `holder` on the slot it took, once the write's transaction has committed (at once without one). */
export async function holdSlotAfterCommit(req: PayloadRequest, slotId: string, holder: string) {
  await runAfterCommit({ req, key: `quota-slot:${slotId}`, task: async () => void (await slotsOf(req).updateOne({ _id: slotId }, { $set: { holder } })) })
}

/** Gives back the slot `holder` holds in the scope (its document was deleted, or moved to another owner), after commit. */
export async function releaseSlotAfterCommit(req: PayloadRequest, scope: Pick<SlotScope, 'quota' | 'key'>, holder: string) {
  const prefix = prefixOf(scope)
  await runAfterCommit({
    req,
    key: `quota-slot-release:${prefix}${holder}`,
    task: async () => void (await slotsOf(req).deleteMany({ _id: { $gte: prefix, $lt: `${prefix}\uffff` }, holder })),
  })
}

/**
 * One slot quota for a collection: `take` before a create or a move into another scope (beforeChange), `afterChange`
 * records the holder (and gives back the slot of the scope a moved document left), `afterDelete` gives it back.
 */
export function slotQuota({
  collection,
  quota,
  describe,
  scopeOf,
  ownerOf,
}: {
  collection: CollectionSlug
  quota: CountQuota
  /** "at most 3 projects" */
  describe: (max: number) => string
  /** The scope of a document (its data before the write, the stored document after): its key and its documents. */
  scopeOf: (doc: Record<string, unknown>) => { key: string; where: Where } | null
  /** Whose subscription sets the scope's limit. */
  ownerOf: (req: PayloadRequest, doc: Record<string, unknown>) => Promise<string | undefined>
}) {
  /**
   * Called by the collection's beforeChange hook on every write: with the document's data when the write takes a
   * slot (a create, a move into another scope), else with null. The slot is taken right before the document is
   * written (after validation: refused input takes none).
   */
  const takeOnWrite = (req: PayloadRequest, doc: Record<string, unknown> | null) => {
    const deferred = (req.context.beforeWrite ??= {})
    deferred[collection] = doc ? () => take(req, doc) : undefined
  }
  const take = async (req: PayloadRequest, doc: Record<string, unknown>) => {
    const scope = scopeOf(doc)
    if (!scope) return
    const max = resolveQuotas((await loadOwner(req, await ownerOf(req, doc))) as Parameters<typeof resolveQuotas>[0] & TypedUser)[quota]
    const slot = await takeQuotaSlot(req, { quota, key: scope.key, collection, where: scope.where, max, detail: describe(max) }, { enforced: areQuotasEnforced(req) })
    req.context.quotaSlots = { ...req.context.quotaSlots, [quota]: slot }
    // The write failed: the slot goes back at once (a later rollback leaves it without holder, to expire).
    if (slot) return async () => void (await slotsOf(req).deleteOne({ _id: slot, holder: { $exists: false } }))
  }

  const afterChange: CollectionAfterChangeHook = async ({ doc, previousDoc, operation, req }) => {
    const slot = req.context.quotaSlots?.[quota]
    if (slot) {
      delete req.context.quotaSlots![quota]
      await holdSlotAfterCommit(req, slot, String(doc.id))
    }
    const left = operation === 'update' && previousDoc ? scopeOf(previousDoc) : null
    if (left && left.key !== scopeOf(doc)?.key) await releaseSlotAfterCommit(req, { quota, key: left.key }, String(doc.id))
    return doc
  }

  const afterDelete: CollectionAfterDeleteHook = async ({ doc, req }) => {
    const scope = scopeOf(doc)
    if (scope) await releaseSlotAfterCommit(req, { quota, key: scope.key }, String(doc.id))
  }

  return { takeOnWrite, afterChange, afterDelete }
}
