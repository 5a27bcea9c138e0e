// The containers' health checks (docker-compose.yml, Dockerfile), runnable anywhere:
//   node scripts/healthcheck.mjs app [URL]   the app answers GET /api/health with 200 (default http://127.0.0.1:$PORT)
//   node scripts/healthcheck.mjs worker      a worker of this host reported itself alive within 2 minutes
//                                            (worker_presence, written by every worker's maintenance round)
// Exit 0 healthy, 1 unhealthy (the reason on stderr), 2 bad arguments.
import mongoose from 'mongoose'
import os from 'node:os'

import { loadAppEnv } from './lib/appEnv.mjs'

const usage = 'Usage: node scripts/healthcheck.mjs app [URL] | worker'
const [kind, target] = process.argv.slice(2)
const unhealthy = (reason) => {
  console.error(`unhealthy: ${reason}`)
  process.exit(1)
}

if (kind === 'app') {
  const url = `${target ?? `http://127.0.0.1:${process.env.PORT || 3000}`}/api/health`
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5000) })
    if (response.status !== 200) unhealthy(`${url} answered ${response.status}`)
  } catch (err) {
    unhealthy(`${url}: ${err.cause?.code ?? err.cause?.message ?? err.message}`)
  }
  process.exit(0)
} else if (kind === 'worker') {
  loadAppEnv()
  if (!process.env.DATABASE_URL) unhealthy('DATABASE_URL is not set')
  // The worker's id is `<hostname>-<pid>` (scripts/worker.ts); this host's workers are the ones named after it.
  const prefix = `${os.hostname()}-`
  const connection = await mongoose.createConnection(process.env.DATABASE_URL, { serverSelectionTimeoutMS: 5000 }).asPromise().catch((err) => unhealthy(`database: ${err.message.replace(/mongodb(\+srv)?:\/\/\S+/g, '<DATABASE_URL>')}`))
  const since = new Date(Date.now() - 2 * 60 * 1000)
  const alive = await connection.db.collection('worker_presence').find({ seenAt: { $gte: since } }, { projection: { _id: 1 } }).toArray()
  await connection.close()
  if (!alive.some((worker) => String(worker._id).startsWith(prefix))) unhealthy(`no worker of ${os.hostname()} reported itself alive since ${since.toISOString()}`)
  process.exit(0)
} else {
  console.error(usage)
  process.exit(2)
}
