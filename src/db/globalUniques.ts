import type { MongooseAdapter } from '@payloadcms/db-mongodb'
import { FieldValidationError } from '../errors'
import { isDuplicateKeyError } from './duplicateKey'

/**
 * Values that must be unique across the whole database on a collection that is sharded by project, where MongoDB
 * can only enforce unique indexes that start with the shard key. Media filenames name the stored file, and the
 * upload folder / bucket is one namespace for every project, so they stay unique globally.
 */
export const globallyUnique: Record<string, string[]> = { media: ['filename'] }

/**
 * The claims collection (unsharded, small: one document per file): `_id` is "<collection>.<field>:<value>", so the
 * insert of a claim is the unique-index arbitration (atomic on MongoDB and FerretDB alike).
 */
export const UNIQUE_CLAIMS = 'unique-claims'

/** A claim younger than this may belong to a write still in flight; an older one whose value no document holds was abandoned. */
const CLAIM_TTL_MS = 30_000

const claimId = (collection: string, field: string, value: unknown) => `${collection}.${field}:${String(value)}`

type Adapter = Pick<MongooseAdapter, 'connection' | 'collections'>
type Claim = { _id: string; claimedAt: Date; holder?: string }

const claimsOf = (adapter: Adapter) => adapter.connection.db!.collection<Claim>(UNIQUE_CLAIMS)

/**
 * Claims the globally unique values `data` sets, before the write that stores them (`holder`: the id of the
 * document written, when it exists already). A value another document holds is refused like a unique index would
 * refuse it (400 on the field). A claim whose write never happened (the process died in between) is taken over
 * once it is older than CLAIM_TTL_MS and no document holds the value. Returns `undo` for when the write then fails,
 * and `settle` to record the written document as the holder.
 */
export async function claimGlobalUniques(adapter: Adapter, collection: string, data: Record<string, unknown>, holder?: string) {
  const claims = claimsOf(adapter)
  const made: string[] = []
  const undo = async () => {
    if (made.length > 0) await claims.deleteMany({ _id: { $in: made } })
  }
  const settle = async (id: string) => {
    if (made.length > 0) await claims.updateMany({ _id: { $in: made } }, { $set: { holder: id } })
  }
  for (const field of globallyUnique[collection] ?? []) {
    const value = data[field]
    if (value === undefined || value === null || value === '') continue
    const _id = claimId(collection, field, value)
    // An update that keeps the document's own value: one read of the (unsharded) claims, nothing else.
    if (holder !== undefined && (await claims.findOne({ _id }))?.holder === holder) continue
    for (let attempt = 0; ; attempt++) {
      try {
        await claims.insertOne({ _id, claimedAt: new Date() })
        made.push(_id)
        break
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err
      }
      const claim = await claims.findOne({ _id })
      const stale = claim && !claim.holder && Date.now() - claim.claimedAt.getTime() > CLAIM_TTL_MS
      // The value is unique across projects, so this rare lookup (a stale claim) is a documented scatter-gather.
      const held = stale ? await adapter.collections[collection].collection.findOne({ [field]: value }, { projection: { _id: 1 } }) : undefined
      if (!stale || held || attempt > 0) {
        await undo()
        throw new FieldValidationError({ collection, errors: [{ path: field, message: 'Value must be unique' }] })
      }
      // Racing takers may both delete it; the insert that follows still admits only one of them.
      await claims.deleteOne({ _id, claimedAt: claim.claimedAt })
    }
  }
  return { undo, settle }
}

/** Gives up the claims of values a document no longer holds (deleted, or changed to another value). */
export async function releaseGlobalUniques(adapter: Adapter, collection: string, values: Record<string, unknown>) {
  const ids = (globallyUnique[collection] ?? [])
    .filter((field) => values[field] !== undefined && values[field] !== null && values[field] !== '')
    .map((field) => claimId(collection, field, values[field]))
  if (ids.length > 0) await claimsOf(adapter).deleteMany({ _id: { $in: ids } })
}

/** Claims for the values documents already hold (migration 000003 and a restore): one per value, held by its document. */
export async function backfillGlobalUniques(adapter: Adapter, collection: string) {
  const claims = claimsOf(adapter)
  let written = 0
  for (const field of globallyUnique[collection] ?? []) {
    const cursor = adapter.collections[collection].collection.find({ [field]: { $nin: [null, ''] } }, { projection: { [field]: 1 } })
    for await (const doc of cursor) {
      const _id = claimId(collection, field, doc[field])
      const result = await claims.updateOne({ _id }, { $setOnInsert: { claimedAt: new Date(), holder: String(doc._id) } }, { upsert: true })
      written += result.upsertedCount
    }
  }
  return written
}

/** Drops a collection's claims (migration 000003 down, when a unique index takes the guard back). */
export async function dropGlobalUniques(adapter: Adapter, collection: string) {
  const prefixes = (globallyUnique[collection] ?? []).map((field) => `${collection}.${field}:`)
  let dropped = 0
  for (const prefix of prefixes) {
    dropped += (await claimsOf(adapter).deleteMany({ _id: { $gte: prefix, $lt: `${prefix}\uffff` } })).deletedCount
  }
  return dropped
}
