import type { ClientSession } from 'mongoose'
import type { Payload } from 'payload'

import mongoose from 'mongoose'

const BATCH = 500
const OBJECT_ID = /^[0-9a-f]{24}$/i

/**
 * Phase 1 of the data design's migration: `project` on media and sessions used to be free text. Converts every
 * text value that names an existing project to an ObjectId reference (and back, for `down`). Values that name no
 * project are left as they are and reported, so nothing is lost; they show up in the admin as broken references.
 */
export async function convertProjectReferences({
  payload,
  slug,
  direction,
  session,
}: {
  payload: Payload
  slug: 'media' | 'sessions'
  direction: 'toObjectId' | 'toText'
  session?: ClientSession
}): Promise<{ converted: number; unresolved: string[] }> {
  const collection = payload.db.collections[slug].collection
  const projects = payload.db.collections.projects.collection
  const filter = { project: { $type: direction === 'toObjectId' ? 'string' : 'objectId' } } as const
  const total = await collection.countDocuments(filter, { session })
  const log = (msg: string) => payload.logger.info({ msg: `[migrate] ${slug}.project ${direction}: ${msg}` })
  log(`${total} document(s) to look at`)

  let converted = 0
  let seen = 0
  const unresolved: string[] = []
  const cursor = collection.find(filter, { projection: { project: 1 }, session, batchSize: BATCH })
  let batch: { _id: unknown; project: unknown }[] = []

  const flush = async () => {
    if (batch.length === 0) return
    const updates = []
    if (direction === 'toObjectId') {
      const candidates = batch.filter((doc) => typeof doc.project === 'string' && OBJECT_ID.test(doc.project))
      const existing = new Set(
        (
          await projects
            .find({ _id: { $in: candidates.map((doc) => new mongoose.Types.ObjectId(String(doc.project))) } }, { projection: { _id: 1 }, session })
            .toArray()
        ).map((project) => String(project._id)),
      )
      for (const doc of batch) {
        const value = String(doc.project)
        if (existing.has(value.toLowerCase())) {
          updates.push({
            updateOne: { filter: { _id: doc._id, project: doc.project }, update: { $set: { project: new mongoose.Types.ObjectId(value) } } },
          })
        } else {
          unresolved.push(String(doc._id))
        }
      }
    } else {
      for (const doc of batch) {
        updates.push({ updateOne: { filter: { _id: doc._id, project: doc.project }, update: { $set: { project: String(doc.project) } } } })
      }
    }
    if (updates.length > 0) {
      const result = await collection.bulkWrite(updates as never, { session, ordered: false })
      converted += result.modifiedCount
    }
    seen += batch.length
    log(`${seen}/${total} looked at, ${converted} converted`)
    batch = []
  }

  for await (const doc of cursor) {
    batch.push(doc as { _id: unknown; project: unknown })
    if (batch.length >= BATCH) await flush()
  }
  await flush()
  if (unresolved.length > 0) {
    payload.logger.warn({
      msg: `[migrate] ${slug}: ${unresolved.length} document(s) name no existing project and were left as text: ${unresolved.slice(0, 20).join(', ')}${unresolved.length > 20 ? ', …' : ''}`,
    })
  }
  return { converted, unresolved }
}
