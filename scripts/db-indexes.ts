/**
 * `npm run db:indexes`: prints the indexes each collection should have next to what the database has, and exits
 * non-zero when one is missing. Reads DATABASE_URL (default: the development database of `npm run dev`/`npm run db`).
 * It only reads: Payload is not started, so nothing builds the indexes behind its back.
 */
import mongoose from 'mongoose'

import { announceDatabase, databaseUrl as opsDatabaseUrl, describeDatabaseUrl, parseOrExit } from './lib/connect'

const usage = `Usage: npm run db:indexes

Lists, per collection, the indexes the app declares next to those DATABASE_URL's database has (the environment,
then .env; default the development database of \`npm run db\`), and the media vector search index on MongoDB.
Read-only. Exit codes: 0 every expected index present, 1 one is missing, 2 bad arguments or database unreachable.`

parseOrExit({ options: {} }, usage)
const databaseUrl = opsDatabaseUrl()
announceDatabase(databaseUrl)

const { describeEngine, detectDatabaseEngine } = await import('../src/db/engine')
const { compareIndexes, expectedIndexes, mediaVectorIndex } = await import('../src/db/indexes')

let engine
try {
  engine = await detectDatabaseEngine(databaseUrl)
} catch (err) {
  console.error(`Cannot reach the database ${describeDatabaseUrl(databaseUrl)}: ${(err as Error).message.replace(/mongodb(\+srv)?:\/\/\S+/g, '<DATABASE_URL>')}\nStart it with \`npm run db\` or set DATABASE_URL.`)
  process.exit(2)
}
const config = await (await import('../payload.config')).default
const connection = await mongoose.createConnection(databaseUrl, { autoIndex: false, autoCreate: false }).asPromise()
const collectionNames = new Map<string, string>(
  config.collections.map((collection) => [collection.slug, collection.dbName ? String(collection.dbName) : mongoose.pluralize()!(collection.slug)]),
)
const existing = new Set((await connection.db!.listCollections().toArray()).map((c) => c.name))

const report = await compareIndexes({
  expected: expectedIndexes(config.collections),
  engine,
  listIndexes: async (slug) => {
    const name = collectionNames.get(slug) ?? slug
    return existing.has(name) ? ((await connection.db!.collection(name).listIndexes().toArray()) as never) : []
  },
})

console.log(`Indexes on ${describeEngine(engine)} — ${new URL(databaseUrl).pathname.slice(1)}\n`)
let currentCollection = ''
for (const row of report) {
  if (row.collection !== currentCollection) {
    currentCollection = row.collection
    console.log(`${row.collection} (${collectionNames.get(row.collection)})`)
  }
  const mark = row.state === 'present' ? 'ok     ' : row.state === 'missing' ? 'MISSING' : 'n/a    '
  console.log(`  ${mark} ${row.key}${row.unique ? ' (unique)' : ''}${row.state === 'not-supported' ? ' — not supported by this engine' : ''}`)
}

if (engine.kind === 'mongodb') {
  let vectorState = 'not available (no Atlas Search on this server)'
  try {
    const found = await connection.db!.collection('media').listSearchIndexes(mediaVectorIndex.name).toArray()
    vectorState = found.length > 0 ? `ok (${String((found[0] as { status?: string }).status ?? 'ready')})` : 'MISSING'
  } catch {
    // listSearchIndexes exists on Atlas (and MongoDB 8.2+ with mongot) only.
  }
  console.log(`media vector search index ${mediaVectorIndex.name}: ${vectorState}`)
} else {
  console.log(`media vector search index ${mediaVectorIndex.name}: n/a — not supported by this engine`)
}

await connection.close()
const missing = report.filter((row) => row.state === 'missing')
if (missing.length > 0) {
  console.error(`\n${missing.length} index(es) missing. Starting the app (Payload) builds declared indexes; text indexes are built by its onInit on MongoDB.`)
  process.exit(1)
}
console.log(`\nAll ${report.filter((row) => row.state === 'present').length} expected indexes present.`)
process.exit(0)
