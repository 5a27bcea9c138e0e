/**
 * `npm run bench:http`: the list endpoints and a scene write from outside, over HTTP, against `next start` — what a
 * client gets — beside the raw driver doing the same work (find 20 + count, concurrently, on the same server) in the
 * same run. Builds the app once if needed (the `.next-test` build the HTTP tests use: src/ newer than the build
 * rebuilds it), starts `next start` on a database of its own (DATABASE_URL's server, else an embedded FerretDB),
 * seeds a producer-sized account (30 projects, an episode of 60 scenes), then drives each request with autocannon
 * at BENCH_CONNECTIONS (default 8) for BENCH_SECONDS (default 10) and prints req/s, p50/p99 and the ratio to the raw
 * driver (goal at 8 connections: /api/v1 and REST lists ≥ 0.8×, GraphQL ≥ 0.7×). Not a test: numbers are printed,
 * nothing is asserted. `--smoke`: 2 connections for 2 s each (CI).
 */
import autocannon from 'autocannon'
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'

import { parseOrExit } from '../scripts/lib/connect'
import { databaseUrl as withDatabase } from '../scripts/lib/ferretdb.mjs'
import { ensureTestAppBuild, root, testDistDir } from '../tests/setup/appBuild'
import { benchServer } from './lib/benchServer'
import { benchSetting, smokeOption, smokeUsage } from './lib/settings'

const { values: options } = parseOrExit({ options: smokeOption }, `Usage: npm run bench:http [-- --smoke]

List endpoints of /api/v1, REST and GraphQL and a scene create/update over HTTP against next start, with autocannon,
beside the raw driver doing the same work in the same run (ratio). Settings: BENCH_CONNECTIONS (default 8),
BENCH_SECONDS (default 10). ${smokeUsage} Builds the app into ${testDistDir} when it is missing or older than src/.
Uses DATABASE_URL's server when set, otherwise an embedded FerretDB; works in a database of its own and drops it.
Prints numbers; asserts nothing. Exit codes: 0 done, 1 failed, 2 bad arguments.`)

const connections = benchSetting('BENCH_CONNECTIONS', { full: 8, smoke: 2 }, options.smoke)
const seconds = benchSetting('BENCH_SECONDS', { full: 10, smoke: 2 }, options.smoke)
const writes = benchSetting('BENCH_WRITES', { full: 100, smoke: 4 }, options.smoke)

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** p50 / p99 of samples in ms. */
const percentile = (samples: number[], p: number) => [...samples].sort((a, b) => a - b)[Math.min(samples.length - 1, Math.floor((samples.length * p) / 100))] ?? 0

type Measured = { label: string; rps: number; p50: number; p99: number; errors: number }

/** `connections` loops calling `run` for `seconds`: the in-process counterpart of autocannon, for the raw driver. */
async function loop(label: string, run: () => Promise<unknown>): Promise<Measured> {
  const samples: number[] = []
  const until = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const started = performance.now()
        await run()
        samples.push(performance.now() - started)
      }
    }),
  )
  return { label, rps: samples.length / seconds, p50: percentile(samples, 50), p99: percentile(samples, 99), errors: 0 }
}

async function cannon(label: string, request: { url: string; method?: 'GET' | 'POST'; headers: Record<string, string>; body?: string }): Promise<Measured> {
  // One request first: it must succeed (a failing endpoint would otherwise be measured as fast), and the first
  // request of a route compiles and caches what the rest reuse (the GraphQL schema, for one).
  const first = await fetch(request.url, request)
  const text = await first.text()
  if (first.status !== 200 || text.includes('"errors"')) throw new Error(`${label}: ${first.status} ${text.slice(0, 500)}`)
  const result = await autocannon({ ...request, connections, duration: seconds, pipelining: 1 })
  const errors = result.errors + result.timeouts + result.non2xx
  return { label, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors }
}

const { uri: serverUri, stop: stopServer } = await benchServer('movie-platform-bench-http')
const databaseUrl = withDatabase(serverUri, `bench_http_${randomBytes(4).toString('hex')}`)
process.env.DATABASE_URL = databaseUrl
const secret = randomBytes(32).toString('hex')
process.env.PAYLOAD_SECRET = secret

const { getPayload } = await import('payload')
const { Types } = await import('mongoose')
const { IMPORT_STATUS_CONTEXT } = await import('../src/access/mayChooseCreationStatus')
const { describeEngine, detectDatabaseEngine } = await import('../src/db/engine')
const engine = await detectDatabaseEngine(databaseUrl)
const payload = await getPayload({ config: (await import('../payload.config')).default })
const db = payload.db.connection.db!
const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'bench-http-outbox-'))
let app: ChildProcess | undefined

try {
  // 1. A producer-sized account, seeded in process (as bench/index.ts does).
  const password = 'Bench-passw0rd!'
  await payload.create({ collection: 'users', data: { email: 'admin@bench.test', password } as never })
  const owner = await payload.create({ collection: 'users', data: { email: 'owner@bench.test', password, role: 'producer', subscription: { tier: 'enterprise' } } as never })
  const statuses = ['concept', 'production', 'post-production'] as const
  const projects = []
  for (let n = 0; n < 30; n++) {
    projects.push(
      await payload.create({
        collection: 'projects',
        data: { title: `Bench ${n}`, createdBy: owner.id, status: statuses[n % 3], episodeCount: 10 } as never,
        context: { [IMPORT_STATUS_CONTEXT]: true }, // seeding: projects in the statuses they are listed in
      }),
    )
  }
  const project = projects[1]!
  const episode = await payload.create({ collection: 'episodes', data: { project: project.id, episodeNumber: 1, title: 'Pilot' } as never })
  for (let n = 1; n <= 60; n++) {
    await payload.create({ collection: 'scenes', data: { project: project.id, episode: episode.id, sceneNumber: n, title: `Scene ${n}` } as never })
  }

  // 2. The app: next start on the same database.
  await ensureTestAppBuild()
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  app = spawn(process.execPath, [path.join(root, 'node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_DIST_DIR: testDistDir,
      NEXT_TELEMETRY_DISABLED: '1',
      DATABASE_URL: databaseUrl,
      PAYLOAD_SECRET: secret,
      NEXT_PUBLIC_SERVER_URL: url,
      MAIL_OUTBOX_DIR: outboxDir,
      // The load comes from one address: the per-address limits would measure the limiter, not the list path.
      RATE_LIMITS: JSON.stringify({ login: { ip: { points: 1e9 }, user: { points: 1e9 } }, graphql: { ip: { points: 1e9 }, user: { points: 1e9 } } }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  app.stdout?.on('data', (chunk) => (output += chunk))
  app.stderr?.on('data', (chunk) => (output += chunk))
  const deadline = Date.now() + 120_000
  for (;;) {
    if (app.exitCode !== null) throw new Error(`next start exited with ${app.exitCode}:\n${output}`)
    const answer = await fetch(`${url}/api/users/me`).catch(() => undefined)
    if (answer && answer.status < 500) break
    if (Date.now() > deadline) throw new Error(`the app did not answer within 120 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 300))
  }
  const login = await fetch(`${url}/api/users/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'owner@bench.test', password }) })
  const { token } = (await login.json()) as { token: string }
  const auth = { authorization: `JWT ${token}` }

  // 3. Reads: the raw driver first, then each endpoint.
  const ownerId = new Types.ObjectId(owner.id)
  const filter = { $or: [{ createdBy: ownerId }, { collaborators: { $in: [ownerId] } }] }
  const raw = () =>
    Promise.all([db.collection('projects').find(filter).sort({ updatedAt: -1 }).limit(20).toArray(), db.collection('projects').countDocuments(filter)])
  await raw()
  const graphql = JSON.stringify({ query: '{ Projects(limit: 20) { totalDocs docs { id title status updatedAt } } }' })
  const reads: Measured[] = [await loop('raw driver (find 20 + count)', raw)]
  for (const [label, request] of [
    ['GET /api/v1/projects', { url: `${url}/api/v1/projects`, headers: auth }],
    ['GET /api/projects?limit=20&depth=0', { url: `${url}/api/projects?limit=20&depth=0`, headers: auth }],
    ['GraphQL Projects(limit: 20)', { url: `${url}/api/graphql`, method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: graphql }],
    ['GET /api/v1/episodes/{id}/scenes', { url: `${url}/api/v1/episodes/${episode.id}/scenes`, headers: auth }],
    ['GET /api/users/me (auth alone)', { url: `${url}/api/users/me`, headers: auth }],
  ] as const) {
    reads.push(await cannon(label, request as Parameters<typeof cannon>[1]))
  }

  // 4. Writes: scene create then retitle over REST, `connections` at a time (each write is a request of its own).
  const createTimes: number[] = []
  const updateTimes: number[] = []
  let failed = 0
  let next = 0
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < writes) {
        next++
        let started = performance.now()
        const created = await fetch(`${url}/api/scenes`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ project: project.id, episode: episode.id, title: 'Over HTTP' }),
        })
        createTimes.push(performance.now() - started)
        if (created.status !== 201) {
          failed++
          continue
        }
        const { doc } = (await created.json()) as { doc: { id: string } }
        started = performance.now()
        const updated = await fetch(`${url}/api/scenes/${doc.id}`, { method: 'PATCH', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Retitled' }) })
        updateTimes.push(performance.now() - started)
        if (updated.status !== 200) failed++
        await updated.arrayBuffer()
      }
    }),
  )

  const baseline = reads[0]!
  const row = (label: string, rps: string, p50: number, p99: number, ratio: string) =>
    console.log(`  ${label.padEnd(36)} ${rps.padStart(8)} ${p50.toFixed(1).padStart(8)} ${p99.toFixed(1).padStart(8)}   ${ratio}`)
  console.log(`\nHTTP against next start on ${describeEngine(engine)}: ${connections} connections, ${seconds} s each (load average ${os.loadavg().map((v) => v.toFixed(2)).join(' ')})`)
  console.log(`  ${'request'.padEnd(36)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}   × raw driver (goal: v1, REST ≥ 0.80; GraphQL ≥ 0.70)`)
  for (const measured of reads) {
    const ratio = `${(measured.rps / baseline.rps).toFixed(2)}×${measured.errors ? `  (${measured.errors} errors)` : ''}`
    row(measured.label, measured.rps.toFixed(0), measured.p50, measured.p99, ratio)
  }
  console.log(`\nScene writes over REST (${writes} creates, each then retitled; ${connections} at a time)${failed ? `: ${failed} failed` : ''}`)
  row('POST /api/scenes', '', percentile(createTimes, 50), percentile(createTimes, 99), '')
  row('PATCH /api/scenes/{id} (title)', '', percentile(updateTimes, 50), percentile(updateTimes, 99), '')
  if (failed) throw new Error(`${failed} scene writes failed:\n${output.slice(-2000)}`)
  if (reads.some((measured) => measured.errors > 0)) throw new Error(`some requests failed:\n${output.slice(-2000)}`)
} finally {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once('exit', resolve))
    app.kill('SIGTERM')
    await exited
  }
  rmSync(outboxDir, { recursive: true, force: true })
  await db.dropDatabase().catch(() => {})
  await payload.destroy()
  await stopServer()
}
process.exit(0)
