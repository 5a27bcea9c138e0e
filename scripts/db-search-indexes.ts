/**
 * `npm run db:search-indexes`: prints the search index definitions the app uses — MongoDB text indexes (fields and
 * weights), the Atlas Vector Search index `media_embedding_index` (numDimensions from EMBEDDING_DIMENSIONS, with
 * project, mediaType and createdBy as filter fields) and the Atlas Search text indexes (used with
 * SEARCH_BACKEND=atlas) — as JSON, ready for the Atlas UI, `db.collection.createSearchIndex` or the Atlas CLI.
 *   --create  also creates them on DATABASE_URL's server by starting Payload once (its onInit runs
 *             ensureSearchIndexes), then prints which search strategies that server allows.
 */
import mongoose from 'mongoose'

import { parseOrExit, payloadOrExit } from './lib/connect'

const usage = `Usage: npm run db:search-indexes [-- --create]

Prints the search index definitions the app uses as JSON: MongoDB text indexes (fields and weights), the Atlas
Vector Search index media_embedding_index (numDimensions from EMBEDDING_DIMENSIONS) and the Atlas Search text
indexes (SEARCH_BACKEND=atlas) — for the Atlas UI, db.collection.createSearchIndex or the Atlas CLI.

  --create   also create them on DATABASE_URL's server (the environment, then .env) by starting Payload once,
             then print which search strategies that server allows

Exit codes: 0 done, 1 failed, 2 bad arguments or (with --create) no DATABASE_URL.`

const { values } = parseOrExit({ options: { create: { type: 'boolean' } } }, usage)
const { atlasTextIndexes, mediaVectorIndex, TEXT_INDEX_NAME, textIndexes } = await import('../src/search/searchIndexes')

const collectionName = (slug: string) => mongoose.pluralize()!(slug)
const definitions = {
  textIndexes: textIndexes.map(({ collection, key, weights }) => ({
    collection: collectionName(collection),
    name: TEXT_INDEX_NAME,
    key,
    options: { weights, default_language: 'english' },
  })),
  vectorSearchIndexes: [
    { collection: collectionName(mediaVectorIndex.collection), name: mediaVectorIndex.name, type: 'vectorSearch', definition: mediaVectorIndex.definition() },
  ],
  atlasSearchIndexes: atlasTextIndexes().map((index) => ({ ...index, collection: collectionName(index.collection), type: 'search' })),
}
console.log(JSON.stringify(definitions, null, 2))

if (values.create) {
  if (!process.env.DATABASE_URL) {
    console.error('--create needs DATABASE_URL (in the environment or .env).')
    process.exit(2)
  }
  // Announces the database and exits 2 when it cannot be reached; starting Payload runs ensureSearchIndexes.
  const { payload } = await payloadOrExit()
  const { getSearchCapabilities } = await import('../src/db/searchCapabilities')
  const { engine, ...capabilities } = getSearchCapabilities()
  console.error(`Search on ${engine ? `${engine.kind} ${engine.version}` : 'an unknown engine'}: ${JSON.stringify(capabilities)}`)
  await payload.destroy()
  process.exit(0)
}
