// `npm run dev`: runs `next dev`. With no DATABASE_URL it first starts the embedded FerretDB server on the
// development port, with data under .data/ (git-ignored, kept across restarts), and stops it on exit.
import { spawn } from 'node:child_process'
import path from 'node:path'

import { loadAppEnv } from './lib/appEnv.mjs'
import { backendFromEnv, databaseUrl, projectRoot, startFerretDB } from './lib/ferretdb.mjs'

// .env as `next dev` reads it, so a DATABASE_URL there is used instead of starting the embedded database.
loadAppEnv({ dev: true })

const env = { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--no-deprecation'].filter(Boolean).join(' ') }
let db
if (!env.DATABASE_URL) {
  const { backend, postgresUrl } = backendFromEnv(env)
  db = await startFerretDB({
    backend,
    dataDir: path.join(projectRoot, '.data/ferretdb'),
    postgresUrl,
    port: Number(env.FERRETDB_PORT || 27117),
  })
  env.DATABASE_URL = databaseUrl(db.uri, 'movie-platform')
  console.log(`[db] embedded FerretDB (${backend}) at ${env.DATABASE_URL}`)
}

const next = spawn(process.execPath, [path.join(projectRoot, 'node_modules/next/dist/bin/next'), 'dev', ...process.argv.slice(2)], {
  env,
  stdio: 'inherit',
})
const stop = (signal) => next.kill(signal)
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
next.once('exit', async (code) => {
  await db?.stop()
  process.exit(code ?? 0)
})
