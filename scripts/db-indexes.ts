/**
 * `npm run db:indexes`: prints the full index plan (src/ops/indexPlan.ts) next to what the database has, and exits
 * non-zero when a planned index is missing or the database has one the plan does not name. Reads DATABASE_URL
 * (default: the development database of `npm run dev`/`npm run db`). It only reads: Payload is not started, so nothing builds the indexes behind its back.
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
const { mediaVectorIndex } = await import('../src/search/searchIndexes')

let engine
try {
  engine = await detectDatabaseEngine(databaseUrl)
} catch (err) {
  console.error(`Cannot reach the database ${describeDatabaseUrl(databaseUrl)}: ${(err as Error).message.replace(/mongodb(\+srv)?:\/\/\S+/g, '<DATABASE_URL>')}\nStart it with \`npm run db\` or set DATABASE_URL.`)
  process.exit(2)
}
const config = await (await import('../payload.config')).default
const { compareWithPlan, indexPlan } = await import('../src/ops/indexPlan')
const connection = await mongoose.createConnection(databaseUrl, { autoIndex: false, autoCreate: false }).asPromise()

const { rows, unplannedCollections } = await compareWithPlan({
  plan: indexPlan(config),
  collections: (await connection.db!.listCollections().toArray()).map((collection) => collection.name),
  listIndexes: async (name) => (await connection.db!.collection(name).listIndexes().toArray()) as never,
  engine,
})

console.log(`Indexes on ${describeEngine(engine)} — ${new URL(databaseUrl).pathname.slice(1)}\n`)
const marks = { present: 'ok        ', missing: 'MISSING   ', unexpected: 'UNEXPECTED', 'not-supported': 'n/a       ' }
let currentCollection = ''
for (const row of rows) {
  if (row.collection !== currentCollection) {
    currentCollection = row.collection
    console.log(row.collection)
  }
  const ttl = row.ttlSeconds === undefined ? '' : engine.kind === 'mongodb' ? ` (TTL ${row.ttlSeconds} s)` : ' (TTL on MongoDB; swept by `npm run retention` here)'
  const note = row.state === 'not-supported' ? ' — not supported by this engine' : row.state === 'unexpected' ? ` — not in the plan (name ${row.name})` : ''
  console.log(`  ${marks[row.state]} ${row.key}${row.unique ? ' (unique)' : ''}${ttl}${note}`)
}
for (const name of unplannedCollections) console.log(`${name}: not in the plan (its indexes are not checked)`)

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
const missing = rows.filter((row) => row.state === 'missing')
const unexpected = rows.filter((row) => row.state === 'unexpected')
if (missing.length > 0) {
  console.error(`\n${missing.length} index(es) missing: \`npm run migrate\` builds every planned index (so does starting the app).`)
}
if (unexpected.length > 0) {
  console.error(`\n${unexpected.length} index(es) not in the plan: each costs every write; drop it, or add it to the plan (src/db/indexes.ts).`)
}
if (missing.length > 0 || unexpected.length > 0) process.exit(1)
console.log(`\nAll ${rows.filter((row) => row.state === 'present').length} planned indexes present, none unexpected.`)
process.exit(0)
