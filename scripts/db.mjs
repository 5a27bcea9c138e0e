// `npm run db`: starts the embedded FerretDB server alone (for ops tools, mongosh, migration scripts) on the
// development port and data directory, and keeps it running until Ctrl-C.
import path from 'node:path'

import { backendFromEnv, databaseUrl, projectRoot, startFerretDB } from './lib/ferretdb.mjs'

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
