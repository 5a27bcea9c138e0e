// `npm run dev`: runs `next dev`. With no DATABASE_URL it first starts the embedded FerretDB server on the
// development port, with data under .data/ (git-ignored, kept across restarts), and stops it on exit.
// With no AI provider key it sets AI_PROVIDER=local (said once), and it runs a task worker beside the server
// (`npm run worker` as a child process; DEV_WORKER=0 turns it off) so generation tasks run without a second command.
import { spawn } from 'node:child_process'
import path from 'node:path'

import { devWorkerEnabled, withDevProvider } from './lib/devServices.mjs'
import { backendFromEnv, databaseUrl, projectRoot, startFerretDB } from './lib/ferretdb.mjs'

const provider = withDevProvider(
  { ...process.env, NODE_OPTIONS: [process.env.NODE_OPTIONS, '--no-deprecation'].filter(Boolean).join(' ') },
  projectRoot,
)
const env = provider.env
if (provider.notice) console.log(provider.notice)
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
let worker
if (devWorkerEnabled(env)) {
  // The same worker as `npm run worker`, in its own process: a task's ffmpeg or provider call never blocks a page.
  worker = spawn(process.execPath, [path.join(projectRoot, 'scripts/run-ts.mjs'), 'scripts/worker.ts', '--concurrency', env.DEV_WORKER_CONCURRENCY || '2'], {
    env: { ...env, WORKER_DRAIN_MS: env.WORKER_DRAIN_MS || '5000' },
    stdio: 'inherit',
  })
  console.log('[worker] running beside the dev server (DEV_WORKER=0 turns it off)')
} else {
  console.log('[worker] DEV_WORKER=0: no worker runs; start one with `npm run worker`')
}

const workerExited = () => new Promise((resolve) => (!worker || worker.exitCode !== null ? resolve() : worker.once('exit', resolve)))
const stop = (signal) => {
  next.kill(signal)
  worker?.kill(signal)
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
next.once('exit', async (code) => {
  worker?.kill('SIGTERM')
  await workerExited()
  await db?.stop()
  process.exit(code ?? 0)
})
