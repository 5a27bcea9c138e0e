import type { Collection, Document, Filter } from 'mongodb'

import mongoose from 'mongoose'
import { once } from 'node:events'
import { createReadStream, createWriteStream } from 'node:fs'
import { link, unlink } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { createGunzip, createGzip } from 'node:zlib'

import { startProgressBar } from '../../lib/progressBar'

const { EJSON } = mongoose.mongo.BSON

export class ArchiveExistsError extends Error {}

/**
 * Moves the documents matching `filter` out of the database into `file` (gzip, one canonical EJSON document a line)
 * so that nothing is lost whatever happens:
 *   - `file` is never overwritten: an existing one is refused before anything is read (a second run in the same
 *     month names a new file); the archive is written to `<file>.partial` and linked into place — `link` fails if
 *     the name was taken meanwhile — only once it has been read back whole;
 *   - the database loses only what the archive holds: the written file is read back, and each document it holds is
 *     deleted by its _id (and still matching the filter), in batches. A document that arrived after the archive
 *     was written stays for the next run.
 * An interruption before the link leaves the database untouched (and a `.partial` file, overwritten next time);
 * after it, the archive is whole and a re-run with a new file archives what is left.
 */
export async function archiveThenDelete({
  collection,
  filter,
  file,
  label,
  sort = { _id: 1 },
}: {
  collection: Collection
  filter: Filter<Document>
  file: string
  label: string
  /** The order of the archive (pick one an index serves). */
  sort?: Record<string, 1 | -1>
}): Promise<{ archived: number; deleted: number }> {
  const partial = `${file}.partial`
  const total = await collection.countDocuments(filter)
  const gzip = createGzip()
  const out = createWriteStream(partial, { flags: 'w' })
  gzip.pipe(out)
  const progress = startProgressBar({ label: `archive ${label}`, total })
  let archived = 0
  for await (const doc of collection.find(filter, { sort })) {
    if (!gzip.write(`${EJSON.stringify(doc, { relaxed: false })}\n`)) await once(gzip, 'drain')
    archived += 1
    progress.advance()
  }
  progress.stop()
  gzip.end()
  await once(out, 'close')

  let reread = 0
  for await (const ids of archivedIds(partial)) reread += ids.length
  if (reread !== archived) throw new Error(`the archive ${partial} reads back ${reread} document(s) of ${archived} written; nothing was deleted`)
  try {
    await link(partial, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new ArchiveExistsError(`${file} appeared while archiving; nothing was deleted (the entries are in ${partial})`)
    throw err
  }
  await unlink(partial)

  let deleted = 0
  for await (const ids of archivedIds(file)) {
    deleted += (await collection.deleteMany({ $and: [{ _id: { $in: ids as never[] } }, filter] })).deletedCount
  }
  return { archived, deleted }
}

/** The _ids an archive holds, read back from the file, 500 at a time (one delete each). */
async function* archivedIds(file: string): AsyncGenerator<unknown[]> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })
  let batch: unknown[] = []
  for await (const line of lines) {
    if (!line) continue
    const doc = EJSON.parse(line, { relaxed: false }) as Document
    if (doc._id === undefined) throw new Error(`${file} holds a document without _id`)
    batch.push(doc._id)
    if (batch.length === 500) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}
