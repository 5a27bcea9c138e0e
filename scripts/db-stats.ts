/**
 * `npm run db:stats`: per collection its documents, data and index sizes and each index's use ($indexStats where
 * the engine has it), flagging unused indexes and the declared ones that are missing. Read-only.
 * Exit codes: 0 printed (1 with --strict when an index is missing), 2 bad arguments or database unreachable.
 */
import mongoose from 'mongoose'

import { collectionNames } from '../src/db/backup/archive'
import { connectOrExit, parseOrExit } from './lib/connect'

const usage = `Usage: npm run db:stats -- [--json] [--strict]

  --json     one JSON document instead of the table
  --strict   exit 1 when a declared index is missing

Every collection of DATABASE_URL's database (internal ones of any feature included): documents, data size,
storage size, index sizes, and per index its key and use since the server started ($indexStats; FerretDB v1 has
none, shown as n/a). An index with 0 uses is flagged "unused"; a declared index absent from the database "MISSING".
DATABASE_URL names the database (the environment, then .env; default the development database of \`npm run db\`).
Read-only. Exit codes: 0 printed (1 with --strict when a declared index is missing), 2 bad arguments or database
unreachable.`

const { values } = await parseOrExit({ options: { json: { type: 'boolean' }, strict: { type: 'boolean' } } }, usage)
const connection = await connectOrExit()
const db = connection.db!
const { detectDatabaseEngine, describeEngine } = await import('../src/db/engine')
const { compareIndexes, expectedIndexes, keyId } = await import('../src/db/indexes')
const engine = await detectDatabaseEngine(process.env.DATABASE_URL!)
const config = await (await import('../payload.config')).default
const nameOf = new Map<string, string>(
  config.collections.map((collection) => [collection.slug, collection.dbName ? String(collection.dbName) : mongoose.pluralize()!(collection.slug)]),
)
const names = await collectionNames(db)

type IndexRow = { name: string; key: string; unique: boolean; sizeBytes?: number; uses?: number; flag?: 'unused' }
const rows = []
for (const name of names) {
  const collection = db.collection(name)
  let stats: Record<string, unknown> = {}
  try {
    stats = await db.command({ collStats: name })
  } catch {
    // collStats is deprecated on MongoDB 8 in favour of $collStats; the counts below still work without it
  }
  const usage = new Map<string, number>()
  let hasIndexStats = true
  try {
    for (const row of await collection.aggregate<{ name: string; accesses: { ops: number } }>([{ $indexStats: {} }]).toArray()) {
      usage.set(row.name, Number(row.accesses.ops))
    }
  } catch {
    hasIndexStats = false
  }
  const indexSizes = (stats.indexSizes ?? {}) as Record<string, number>
  const indexes: IndexRow[] = (await collection.listIndexes().toArray()).map((index) => {
    const uses = hasIndexStats ? (usage.get(index.name) ?? 0) : undefined
    return {
      name: index.name,
      key: keyId(index.key),
      unique: Boolean(index.unique),
      sizeBytes: indexSizes[index.name],
      uses,
      ...(uses === 0 && index.name !== '_id_' ? { flag: 'unused' as const } : {}),
    }
  })
  rows.push({
    collection: name,
    documents: await collection.estimatedDocumentCount(),
    dataBytes: Number(stats.size ?? 0),
    storageBytes: Number(stats.storageSize ?? 0),
    indexBytes: Number(stats.totalIndexSize ?? 0),
    indexes,
  })
}

const existing = new Set(names)
const missing = (
  await compareIndexes({
    expected: expectedIndexes(config.collections),
    engine,
    listIndexes: async (slug) => {
      const name = nameOf.get(slug) ?? slug
      return existing.has(name) ? ((await db.collection(name).listIndexes().toArray()) as never) : []
    },
  })
)
  .filter((row) => row.state === 'missing')
  .map((row) => ({ collection: nameOf.get(row.collection) ?? row.collection, key: row.key, unique: row.unique }))

const size = (bytes: number) => (bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`)
if (values.json) {
  console.log(JSON.stringify({ engine: describeEngine(engine), collections: rows, missingIndexes: missing }, null, 2))
} else {
  console.log(`Database ${db.databaseName} on ${describeEngine(engine)}\n`)
  console.log(`${'collection'.padEnd(28)} ${'documents'.padStart(10)} ${'data'.padStart(11)} ${'storage'.padStart(11)} ${'indexes'.padStart(11)}`)
  for (const row of rows) {
    console.log(
      `${row.collection.padEnd(28)} ${String(row.documents).padStart(10)} ${size(row.dataBytes).padStart(11)} ${size(row.storageBytes).padStart(11)} ${size(row.indexBytes).padStart(11)}`,
    )
    for (const index of row.indexes) {
      const use = index.uses === undefined ? 'uses n/a' : `${index.uses} use(s)`
      console.log(`    ${index.flag === 'unused' ? 'unused ' : '       '} ${index.key}${index.unique ? ' (unique)' : ''} — ${use}`)
    }
  }
  for (const index of missing) console.log(`MISSING ${index.collection} ${index.key}${index.unique ? ' (unique)' : ''} — run \`npm run migrate\``)
}
await connection.close()
process.exit(values.strict && missing.length > 0 ? 1 : 0)
