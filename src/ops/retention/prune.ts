import mongoose from 'mongoose'

import { engineOfDb } from '../../db/engine'
import { slugs } from '../../model/slugs'

type Db = mongoose.mongo.Db

/** The audit log's raw collection (Payload's slug, pluralized by mongoose as the adapter names it). */
export const auditCollection = (db: Db) => db.collection(mongoose.pluralize()!(slugs.auditLog))
export const reservationsCollection = (db: Db) => db.collection('number-reservations')

/** Audit entries created before the cutoff. */
export const auditOlderThan = (cutoff: Date) => ({ createdAt: { $lt: cutoff } })
/** Number reservations made before the cutoff (a create holds one for at most 30 s). */
export const reservationsOlderThan = (cutoff: Date) => ({ reservedAt: { $lt: cutoff } })

/**
 * Removes stale number reservations. On MongoDB their TTL index removes them (src/db/indexes.ts) and this only counts
 * what is left to it (`leftToTtlIndex`, null where no TTL index runs); FerretDB v1 has no TTL indexes, so there this sweep does it, through the plain index on
 * reservedAt.
 */
export async function pruneReservations(db: Db, cutoff: Date): Promise<{ removed: number; leftToTtlIndex: number | null }> {
  const reservations = reservationsCollection(db)
  if ((await engineOfDb(db)).kind === 'mongodb') return { removed: 0, leftToTtlIndex: await reservations.countDocuments(reservationsOlderThan(cutoff)) }
  const { deletedCount } = await reservations.deleteMany(reservationsOlderThan(cutoff))
  return { removed: deletedCount, leftToTtlIndex: null }
}
