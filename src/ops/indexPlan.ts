import type { SanitizedCollectionConfig, SanitizedConfig } from 'payload'

import mongoose from 'mongoose'
import { buildVersionCollectionFields } from 'payload'

import type { DatabaseEngine } from '../db/engine'
import { TURN_COLLECTION } from '../db/documentTurns'
import { expectedIndexes, type ExpectedIndex, type IndexKey, keyId, rawIndexes, walkFields } from '../db/indexes'
import { queueCollectionNames, queueIndexes } from '../queue/queueStore'
import { IMPORT_TURNS } from '../records/importTurns'
import { QUOTA_SLOTS } from '../records/quotas/quotaSlots'

/**
 * The full index plan of the database, collection by collection (by their names in the database): what the
 * collections declare (Payload's field and compound indexes, their versions collections), the app's read and
 * relationship indexes, the text indexes (MongoDB), the task engine's indexes and those of the raw collections.
 * `npm run db:indexes` reports every planned index that is missing and every index the plan does not name.
 */
export type PlannedIndex = ExpectedIndex & { ttlSeconds?: number }

/** A collection's name in the database, as @payloadcms/db-mongodb names it (mongoose pluralizes the slug). */
export function collectionNameOf(collection: Pick<SanitizedCollectionConfig, 'slug' | 'dbName'>, { versions = false } = {}): string {
  const base = collection.dbName ? String(collection.dbName) : collection.slug
  const modelName = versions ? `_${base}_versions` : base
  return collection.dbName ? modelName : mongoose.pluralize()!(modelName)
}

export function indexPlan(config: Pick<SanitizedConfig, 'collections'>): PlannedIndex[] {
  const bySlug = new Map<string, SanitizedCollectionConfig>(config.collections.map((collection) => [collection.slug, collection]))
  const plan: PlannedIndex[] = expectedIndexes(config.collections).map((index) => ({
    ...index,
    collection: collectionNameOf(bySlug.get(index.collection)!),
  }))
  for (const collection of config.collections) {
    if (collection.versions) plan.push(...versionIndexes(config as SanitizedConfig, collection))
  }
  const queueNames: Record<(typeof queueIndexes)[number]['collection'], string | undefined> = {
    tasks: bySlug.has('tasks') ? collectionNameOf(bySlug.get('tasks')!) : undefined,
    leases: queueCollectionNames.leases,
    settlements: queueCollectionNames.settlements,
  }
  for (const { collection, key } of queueIndexes) {
    const name = queueNames[collection]
    if (name) plan.push({ collection: name, key, unique: false, needs: 'any' })
  }
  for (const { collection, key, unique, ttlSeconds } of rawIndexes) {
    plan.push({ collection, key, unique: Boolean(unique), needs: 'any', ...(ttlSeconds !== undefined ? { ttlSeconds } : {}) })
  }
  // Every collection has its _id index; the queue's other raw collections, the claims, the quota slots, FerretDB's
  // document write turns and the screenplay import turns are read by _id only.
  const names = [...plan.map((index) => index.collection), queueCollectionNames.cancelRequests, queueCollectionNames.reaperTurns, 'unique-claims', QUOTA_SLOTS, TURN_COLLECTION, IMPORT_TURNS]
  for (const collection of new Set(names)) plan.push({ collection, key: { _id: 1 }, unique: true, needs: 'any' })
  return dedupePlan(plan)
}

/**
 * The indexes of a versions collection as @payloadcms/db-mongodb builds them: the version fields' own indexes under
 * `version.` (never unique: old versions repeat values), parent, createdAt, updatedAt, latest / autosave flags, and
 * the collection's compound indexes under `version.`.
 */
function versionIndexes(config: SanitizedConfig, collection: SanitizedCollectionConfig): PlannedIndex[] {
  const name = collectionNameOf(collection, { versions: true })
  const indexes: PlannedIndex[] = []
  walkFields(buildVersionCollectionFields(config, collection), '', (path, field) => {
    if (('index' in field && field.index) || ('unique' in field && field.unique)) {
      indexes.push({ collection: name, key: { [path]: 1 }, unique: false, needs: 'any' })
    }
  })
  for (const index of collection.indexes ?? []) {
    indexes.push({ collection: name, key: Object.fromEntries(index.fields.map((field) => [`version.${field}`, 1])), unique: false, needs: 'any' })
  }
  return indexes
}

function dedupePlan(plan: PlannedIndex[]): PlannedIndex[] {
  const seen = new Map<string, PlannedIndex>()
  for (const index of plan) {
    const id = `${index.collection} ${keyId(index.key)}`
    const existing = seen.get(id)
    if (!existing || index.unique) seen.set(id, { ...existing, ...index })
  }
  return [...seen.values()]
}

export type ActualIndex = { name?: string; key: Record<string, unknown>; unique?: boolean; expireAfterSeconds?: number; weights?: Record<string, unknown> }

export type IndexPlanRow = {
  collection: string
  key: string
  unique: boolean
  ttlSeconds?: number
  /** present, missing, not-supported (the engine has no such index: text on FerretDB), or unexpected (not planned) */
  state: 'present' | 'missing' | 'not-supported' | 'unexpected'
  /** The index's name in the database, for an unexpected one (what to drop). */
  name?: string
}

/**
 * Compares the plan with the database: every planned index (present, missing, or not supported by this engine)
 * and every index of a planned collection that the plan does not name (unexpected). A text index lists as
 * { _fts: 'text', _ftsx: 1 }, so it is matched on its weights. A TTL index is expected with its expiry on MongoDB
 * and as a plain index on FerretDB v1 (no TTL there). Collections outside the plan are returned by name.
 */
export async function compareWithPlan({
  plan,
  collections,
  listIndexes,
  engine,
}: {
  plan: PlannedIndex[]
  /** The collections the database has. */
  collections: string[]
  listIndexes: (collection: string) => Promise<ActualIndex[]>
  engine: DatabaseEngine
}): Promise<{ rows: IndexPlanRow[]; unplannedCollections: string[] }> {
  const rows: IndexPlanRow[] = []
  const existing = new Set(collections)
  const planned = [...new Set(plan.map((index) => index.collection))]
  for (const collection of planned) {
    const actual = existing.has(collection) ? await listIndexes(collection) : []
    const matched = new Set<ActualIndex>()
    for (const index of plan.filter((candidate) => candidate.collection === collection)) {
      const found = actual.find((candidate) => matches(candidate, index, engine))
      if (found) matched.add(found)
      // A collection is created with its _id index on its first write (the queue's and the claims' raw collections).
      const isImplicit = !existing.has(collection) && keyId(index.key) === '_id:1'
      const state = found || isImplicit ? 'present' : index.needs === 'mongodb' && engine.kind !== 'mongodb' ? 'not-supported' : 'missing'
      rows.push({
        collection,
        key: keyId(index.key),
        unique: index.unique,
        ...(index.ttlSeconds !== undefined ? { ttlSeconds: index.ttlSeconds } : {}),
        state,
      })
    }
    for (const index of actual) {
      if (matched.has(index)) continue
      rows.push({ collection, key: keyId(textKeyOf(index) ?? index.key), unique: Boolean(index.unique), state: 'unexpected', name: index.name })
    }
  }
  return { rows, unplannedCollections: collections.filter((name) => !planned.includes(name) && !name.startsWith('system.')).sort() }
}

function matches(actual: ActualIndex, planned: PlannedIndex, engine: DatabaseEngine): boolean {
  const wanted = keyId(planned.key)
  const isText = Object.values(planned.key).includes('text')
  if (isText) return keyId(textKeyOf(actual) ?? {}) === wanted
  if (keyId(actual.key) !== wanted) return false
  if (wanted === '_id:1') return true
  // A unique index satisfies a plain one only when the plan says unique; a plain one never satisfies a unique one.
  if (Boolean(actual.unique) !== planned.unique) return false
  const expiry = planned.ttlSeconds !== undefined && engine.kind === 'mongodb' ? planned.ttlSeconds : undefined
  return actual.expireAfterSeconds === expiry
}

function textKeyOf(index: ActualIndex): IndexKey | undefined {
  if (index.key._fts !== 'text' || !index.weights) return undefined
  return Object.fromEntries(Object.keys(index.weights).map((field) => [field, 'text' as const]))
}
