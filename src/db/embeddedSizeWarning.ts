import type { Payload } from 'payload'

import type { DatabaseEngine } from './engine'

/**
 * Documents per collection past which the embedded default (FerretDB v1 on SQLite) stops serving a collection well.
 * There every filter but a lone `_id` reads the whole collection: measured with the raw driver on this engine
 * (issue #23, docs/OPERATIONS.md "Where the embedded default stops"), a filtered read costs ~44 µs per document
 * (354 ms at 8,000) and `updateOne({_id})` 11 ms at 2,000 and 53 ms at 8,000. At 5,000 a filtered read is ~220 ms,
 * close to the 300 ms p50 the lists are held to; past it, use MongoDB.
 */
export const EMBEDDED_COLLECTION_LIMIT = 5_000

let warned = false

/**
 * Warns once per process, with the numbers, when collections have outgrown what the embedded default serves well.
 * Only on FerretDB: MongoDB uses its indexes and has no such limit. Returns the collections it warned about.
 */
export async function warnOversizedEmbeddedCollections(
  payload: Payload,
  engine: DatabaseEngine | undefined,
  limit = EMBEDDED_COLLECTION_LIMIT,
): Promise<{ collection: string; documents: number }[]> {
  if (warned || engine?.kind !== 'ferretdb') return []
  const db = payload.db.connection.db!
  const oversized: { collection: string; documents: number }[] = []
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const documents = await db.collection(name).estimatedDocumentCount()
    if (documents > limit) oversized.push({ collection: name, documents })
  }
  if (oversized.length === 0) return []
  warned = true
  const list = oversized.map(({ collection, documents }) => `${collection} (${documents.toLocaleString('en')} documents)`).join(', ')
  payload.logger.warn({
    msg:
      `The embedded database (FerretDB on SQLite) is past ${limit.toLocaleString('en')} documents in ${list}: every filter ` +
      `but a lone _id reads the whole collection there, so lists and writes slow down as it grows. Use MongoDB ` +
      `(DATABASE_URL) at this size, or archive finished tasks (npm run tasks:archive) — docs/OPERATIONS.md, "Where the embedded default stops".`,
  })
  return oversized
}

/** For tests: lets the next call warn again. */
export function resetEmbeddedSizeWarning() {
  warned = false
}
