import type { Payload } from 'payload'

import { engineOfDb } from '../../db/engine'
import { keyId } from '../../db/indexes'
import type { MigrationReport } from './report'

/**
 * An index a migration adds, by the collection's name in the database. `ttlSeconds`: a TTL index on MongoDB, a plain
 * one on FerretDB v1 (which has no TTL; `npm run retention` sweeps there).
 */
export type IndexBuild = { collection: string; key: Record<string, 1 | -1>; ttlSeconds?: number }

type Existing = { name: string; key: Record<string, unknown>; expireAfterSeconds?: number }

const describe = ({ collection, key, ttlSeconds }: IndexBuild) =>
  `${collection} (${Object.entries(key).map(([field, direction]) => (direction === -1 ? `${field} desc` : field)).join(', ')})${ttlSeconds === undefined ? '' : ` TTL ${ttlSeconds} s`}`

/**
 * Builds the indexes on an existing database, one at a time, skipping those already there (a re-run is a no-op).
 * Online on MongoDB: since 4.2 every build takes the collection's exclusive lock only at its start and end, reads
 * and writes go on meanwhile; `background: true` is passed for older servers (later ones ignore it). FerretDB v1
 * builds it at once (its SQLite and PostgreSQL backends have no background builds) and gets no TTL option. An index
 * on the same key with other options (a plain one where the plan now wants a TTL) is replaced. `changed` counts
 * index builds and drops, not documents. Index builds run outside the migration's transaction: MongoDB refuses to
 * build an index on an existing collection inside one, and a build is not undone by an abort anyway.
 */
export async function buildIndexes({
  payload,
  indexes,
  dryRun = false,
}: {
  payload: Payload
  indexes: IndexBuild[]
  dryRun?: boolean
}): Promise<MigrationReport[]> {
  const db = payload.db.connection.db!
  const isMongo = (await engineOfDb(db)).kind === 'mongodb'
  const reports: MigrationReport[] = []
  for (const index of indexes) {
    const collection = db.collection(index.collection)
    const expiry = isMongo ? index.ttlSeconds : undefined
    const existing = await listIndexes(db, index.collection)
    const sameKey = existing.filter((candidate) => keyId(candidate.key) === keyId(index.key))
    const isBuilt = sameKey.some((candidate) => candidate.expireAfterSeconds === expiry)
    const inTheWay = isBuilt ? [] : sameKey
    reports.push({ step: `build ${describe(index)}`, changed: (isBuilt ? 0 : 1) + inTheWay.length, problems: [] })
    if (dryRun || isBuilt) continue
    for (const old of inTheWay) await collection.dropIndex(old.name)
    await collection.createIndex(index.key, {
      ...(isMongo ? { background: true } : {}),
      ...(expiry !== undefined ? { expireAfterSeconds: expiry } : {}),
    })
  }
  return reports
}

/** Drops the indexes (the down step of a migration that built them); an index already gone changes nothing. */
export async function dropIndexes({
  payload,
  indexes,
  dryRun = false,
}: {
  payload: Payload
  indexes: IndexBuild[]
  dryRun?: boolean
}): Promise<MigrationReport[]> {
  const db = payload.db.connection.db!
  const reports: MigrationReport[] = []
  for (const index of indexes) {
    const found = (await listIndexes(db, index.collection)).filter((candidate) => keyId(candidate.key) === keyId(index.key))
    reports.push({ step: `drop ${describe(index)}`, changed: found.length, problems: [] })
    if (dryRun) continue
    for (const old of found) await db.collection(index.collection).dropIndex(old.name)
  }
  return reports
}

async function listIndexes(db: NonNullable<Payload['db']['connection']['db']>, name: string): Promise<Existing[]> {
  const exists = (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0
  return exists ? ((await db.collection(name).listIndexes().toArray()) as Existing[]) : []
}
