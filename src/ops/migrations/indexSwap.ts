import type { ClientSession } from 'mongoose'
import type { Payload } from 'payload'

import type { IndexKey } from '../../db/indexes'
import { keyId } from '../../db/indexes'
import type { MigrationReport } from './report'

/**
 * One index replaced by another on the same collection: scenes' unique (episode, sceneNumber) → unique (project, …),
 * or media's unique (filename) → a plain (filename) once the uniqueness is kept elsewhere.
 */
export type IndexSwap = { collection: string; from: IndexSpec; to: IndexSpec }
export type IndexSpec = { key: IndexKey; unique: boolean }

const describe = ({ key, unique }: IndexSpec) => `${unique ? 'unique ' : ''}(${Object.keys(key).join(', ')})`
const sameIndex = (index: { key: Record<string, unknown>; unique?: boolean }, spec: IndexSpec) =>
  keyId(index.key) === keyId(spec.key) && Boolean(index.unique) === spec.unique

/**
 * Replaces an index: the new one is built first, so the collection is never without its guard, then the old one is
 * dropped (on the same fields the old one must go first: an index differing only in `unique` cannot sit beside it).
 * Documents that a new unique index would refuse (the same values twice) are reported by id and the migration
 * fails before touching anything, so ops fix them by hand instead of losing a guard silently; documents without a
 * new `project` prefix are reported too (on a sharded cluster they would all land in one chunk). Building an index
 * that exists, or dropping one that does not, changes nothing, so a re-run is a no-op. `changed` counts index
 * builds and drops, not documents.
 */
export async function swapIndex({
  payload,
  swap: { collection: slug, from, to },
  session,
  dryRun = false,
}: {
  payload: Payload
  swap: IndexSwap
  session?: ClientSession
  dryRun?: boolean
}): Promise<MigrationReport> {
  const collection = payload.db.collections[slug].collection
  const step = `${slug} ${describe(from)} → ${describe(to)} (index builds and drops)`
  const problems: string[] = []

  const fields = Object.keys(to.key)
  // Documents in key order, equal keys side by side: a plain sorted find rather than a $group with $push, which
  // FerretDB v1 does not implement, so one way serves both engines.
  const duplicates: { key: unknown[]; ids: unknown[] }[] = []
  let previous: { key: string; values: unknown[]; ids: unknown[] } | undefined
  const flush = () => previous && previous.ids.length > 1 && duplicates.push({ key: previous.values, ids: previous.ids })
  if (to.unique) {
    const cursor = collection.find({}, { projection: Object.fromEntries(fields.map((field) => [field, 1])), sort: { ...to.key, _id: 1 }, session })
    for await (const doc of cursor) {
      const values = fields.map((field) => doc[field] ?? null)
      const key = JSON.stringify(values)
      if (previous?.key === key) previous.ids.push(doc._id)
      else {
        flush()
        previous = { key, values, ids: [doc._id] }
      }
    }
    flush()
  }
  for (const duplicate of duplicates) {
    problems.push(`${slug} ${duplicate.ids.map(String).join(', ')}: the same ${describe(to)} ${JSON.stringify(duplicate.key)}`)
  }
  if (fields[0] === 'project') {
    const withoutProject = await collection.find({ project: null }, { projection: { _id: 1 }, session }).toArray()
    for (const doc of withoutProject) problems.push(`${slug} ${String(doc._id)}: no project`)
  }

  const existing = (await collection.listIndexes({ session }).toArray()) as { name: string; key: Record<string, unknown>; unique?: boolean }[]
  const toBuild = existing.some((index) => sameIndex(index, to)) ? 0 : 1
  // The old index, and one on the new fields that differs only in `unique` (it would block the build).
  const inTheWay = existing.filter((index) => keyId(index.key) === keyId(to.key) && !sameIndex(index, to))
  const toDrop = existing.filter((index) => sameIndex(index, from) && !inTheWay.includes(index) && !sameIndex(index, to))
  const report = { step, changed: toBuild + inTheWay.length + toDrop.length, problems }
  if (dryRun) return report
  if (duplicates.length > 0) {
    throw new Error(`${step}: ${duplicates.length} value(s) held twice; fix them, then migrate again:\n${problems.join('\n')}`)
  }
  for (const index of inTheWay) await collection.dropIndex(index.name, { session })
  if (toBuild) await collection.createIndex(to.key, { unique: to.unique, session })
  for (const index of toDrop) await collection.dropIndex(index.name, { session })
  return report
}
