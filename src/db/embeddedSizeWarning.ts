import type { Payload } from 'payload'

import type { DatabaseEngine } from './engine'

/**
 * Documents per collection past which the embedded default (FerretDB v1 on SQLite) stops serving a collection well.
 * There every filter but a lone `_id` reads the whole collection. Measured with the raw driver on the production-size
 * seed (docs/OPERATIONS.md, "Where the embedded default stops"; a loaded 2-core machine): `countDocuments({project})`
 * 85 ms at 603 scenes, 3.0 s at 5,007 media, 18.6 s at 20,006 tasks; `updateOne({_id})` 8 ms, 190 ms, 750 ms. A
 * list answers with a find and such a count, so near 2,000 documents it reaches the 300 ms p50 the lists are held
 * to (issue #23); past it, use MongoDB.
 */
export const EMBEDDED_COLLECTION_LIMIT = 2_000

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
