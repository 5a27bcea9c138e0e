import type { ClientSession } from 'mongoose'

import type mongoose from 'mongoose'

/**
 * Walks the documents matching `filter` in pages ordered by _id, each page read whole (its cursor closed) before
 * `work` writes: a page starts after the last _id of the one before, so documents that `work` changes out of the
 * filter, or into it, never shift what comes next. An open cursor held across the writes is what stalled FerretDB
 * v1 on SQLite (the migration stopped at its first page over 10k documents); on MongoDB this is the same number of
 * reads, each served by the _id index.
 */
export async function forEachPage<T extends { _id: mongoose.Types.ObjectId }>({
  collection,
  filter,
  projection,
  session,
  pageSize,
  work,
}: {
  collection: mongoose.mongo.Collection
  filter: Record<string, unknown>
  projection: Record<string, 0 | 1>
  session?: ClientSession
  pageSize: number
  work: (page: T[]) => Promise<void>
}): Promise<void> {
  let after: mongoose.Types.ObjectId | undefined
  for (;;) {
    const page = (await collection
      .find(after ? { $and: [filter, { _id: { $gt: after } }] } : filter, { projection, session })
      .sort({ _id: 1 })
      .limit(pageSize)
      .toArray()) as unknown as T[]
    if (page.length === 0) return
    await work(page)
    if (page.length < pageSize) return
    after = page[page.length - 1]._id
  }
}
