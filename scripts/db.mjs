// `npm run db`: starts the embedded FerretDB server alone (for ops tools, mongosh, migration scripts) on the
// development port and data directory, and keeps it running until Ctrl-C.
import path from 'node:path'

import { parseArgs } from 'node:util'

import { loadAppEnv } from './lib/appEnv.mjs'
import { backendFromEnv, databaseUrl, projectRoot, startFerretDB } from './lib/ferretdb.mjs'

const usage = `Usage: npm run db

Starts the embedded FerretDB server alone on 127.0.0.1:FERRETDB_PORT (default 27117), data in .data/ferretdb
(FERRETDB_BACKEND=sqlite) or on PostgreSQL (FERRETDB_BACKEND=postgresql, FERRETDB_POSTGRESQL_URL), and keeps it
running until Ctrl-C. Prints the DATABASE_URL the ops scripts use by default.
Exit codes: 0 stopped, 1 failed (e.g. the port is taken), 2 bad arguments.`
try {
  if (parseArgs({ options: { help: { type: 'boolean', short: 'h' } } }).values.help) {
    console.log(usage)
    process.exit(0)
  }
} catch (err) {
  console.error(`${err.message}\n\n${usage}`)
  process.exit(2)
}

loadAppEnv({ dev: true })
const port = Number(process.env.FERRETDB_PORT || 27117)
const { backend, postgresUrl } = backendFromEnv()
const db = await startFerretDB({
  backend,
  dataDir: path.join(projectRoot, '.data/ferretdb'),
  postgresUrl,
  port,
})
console.log(`[db] FerretDB (${backend}) listening; DATABASE_URL=${databaseUrl(db.uri, 'movie-platform')}`)
const shutdown = async () => {
  await db.stop()
  process.exit(0)
}
process.on('SIGINT', shutdown)
process.on('SIGTERM', shutdown)
db.child.once('exit', (code) => process.exit(code ?? 1))
