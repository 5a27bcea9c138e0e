import type { ClientSession } from 'mongoose'
import type { Payload } from 'payload'

import mongoose from 'mongoose'

import { startProgressBar } from '../../lib/progressBar'
import type { MigrationReport } from './report'

/** Distinct project values checked against the projects collection per read. */
const BATCH = 500
const OBJECT_ID = /^[0-9a-f]{24}$/i

/**
 * Phase 1 of the data design's migration: `project` on media and sessions used to be free text. Converts every
 * text value that names an existing project to an ObjectId reference (and back, for `down`). Values that name no
 * project are left as they are and reported, so nothing is lost; they show up in the admin as broken references.
 * With `dryRun` it reads the same documents and reports what it would convert, writing nothing.
 *
 * No derived figure depends on these references, and the step writes no audit entries: see docs/OPERATIONS.md
 * (migrations are recorded in payload-migrations, not in the audit log).
 */
export async function convertProjectReferences({
  payload,
  slug,
  direction,
  session,
  dryRun = false,
}: {
  payload: Payload
  slug: 'media' | 'sessions'
  direction: 'toObjectId' | 'toText'
  session?: ClientSession
  dryRun?: boolean
}): Promise<MigrationReport> {
  const collection = payload.db.collections[slug].collection
  const projects = payload.db.collections.projects.collection
  const filter = { project: { $type: direction === 'toObjectId' ? 'string' : 'objectId' } } as const
  // One update per distinct value, not per document: a project's media and sessions all carry the same value, and on
  // FerretDB (no index use for these filters) each write costs a scan, so writes per value keep 10k documents at a
  // few hundred scans. On MongoDB the same updateMany calls are served by the project index.
  const values = (await collection.distinct('project', filter, { session })) as unknown[]
  const progress = startProgressBar({ label: `${slug}.project ${direction}`, total: values.length })

  let changed = 0
  const unresolved: { id: string; value: string }[] = []
  try {
    for (let start = 0; start < values.length; start += BATCH) {
      const batch = values.slice(start, start + BATCH)
      let convertible = batch
      if (direction === 'toObjectId') {
        const candidates = batch.filter((value) => typeof value === 'string' && OBJECT_ID.test(value)).map((value) => new mongoose.Types.ObjectId(String(value)))
        const existing = new Set(
          (await projects.find({ _id: { $in: candidates } }, { projection: { _id: 1 }, session }).toArray()).map((project) => String(project._id)),
        )
        convertible = batch.filter((value) => existing.has(String(value).toLowerCase()))
        for (const value of batch.filter((value) => !existing.has(String(value).toLowerCase()))) {
          const holders = await collection.find({ project: value }, { projection: { _id: 1 }, session }).toArray()
          for (const doc of holders) unresolved.push({ id: String(doc._id), value: String(value) })
        }
      }
      for (const value of convertible) {
        const converted = direction === 'toObjectId' ? new mongoose.Types.ObjectId(String(value)) : String(value)
        if (dryRun) changed += await collection.countDocuments({ project: value }, { session })
        else changed += (await collection.updateMany({ project: value }, { $set: { project: converted } }, { session })).modifiedCount
      }
      progress.advance(batch.length)
    }
  } finally {
    progress.stop()
  }
  // Reported in document order, whatever order the values came in.
  const problems = unresolved
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map(({ id, value }) => `${slug} ${id}: project "${value}" names no existing project (left as text)`)
  if (problems.length > 0) {
    payload.logger.warn({ msg: `[migrate] ${slug}: ${problems.length} document(s) name no existing project and were left as text` })
  }
  return { step: `${slug}.project → ${direction === 'toObjectId' ? 'ObjectId' : 'text'}`, changed, problems }
}
