import type { Payload } from 'payload'

import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'

import { maintenanceCollections } from '../../../src/model/maintenance'
import { type RunningApp, startApp } from '../../helpers/app'
import { TEST_SECRET, uniqueDatabaseUrl } from '../../helpers/database'
import { requestJson } from '../../helpers/http'
import { loose } from '../../helpers/loose'
import { payloadAt } from '../../helpers/payloadAt'
import { parseExposition, selectorsOf } from '../../helpers/promql'
import { projectRoot, runCommand, runScript } from '../../helpers/runScript'

vi.setConfig({ testTimeout: 300_000 })

/**
 * The system as docker-compose.yml starts it, outside containers, with the commands the containers run: the
 * one-shot migrate step, then the app (`next start`, healthy on /api/health), then two workers (`npm run worker`)
 * beside Redis. A producer enqueues work over HTTP and sees it done; the scheduled maintenance of the two workers
 * is taken by exactly one of them per job; every alert rule's metrics and labels are on the app's /api/metrics.
 */
const METRICS_TOKEN = `metrics-${randomBytes(8).toString('hex')}`
const PASSWORD = 'Passw0rd!secret'
const databaseUrl = uniqueDatabaseUrl('compose-stack')
const base = { DATABASE_URL: databaseUrl, PAYLOAD_SECRET: TEST_SECRET, AI_PROVIDER: 'local', REDIS_URL: 'redis://127.0.0.1:6379' }
// SLOW_COMMAND_MS is low in this app so that the slow-command counter has samples whose labels the rules can be checked against.
let app: RunningApp
let payload: Payload
let token: string
let projectId: string
let migrateOutput: string
const workers: { id: string; child: ChildProcess; output: () => string }[] = []

/** `npm run worker` as the worker container runs it; resolves once it said it started. */
async function startWorkerProcess(): Promise<(typeof workers)[number]> {
  const child = spawn(process.execPath, [path.join(projectRoot, 'scripts/run-ts.mjs'), 'scripts/worker.ts', '--concurrency', '2', '--types', 'script_generation'], {
    cwd: projectRoot,
    env: { ...process.env, ...base, PROGRESS: 'off' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (chunk) => (output += chunk))
  child.stderr!.on('data', (chunk) => (output += chunk))
  await vi.waitFor(
    () => {
      if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}:\n${output}`)
      expect(output).toMatch(/worker=(\S+) maintenance:/)
    },
    { timeout: 180_000, interval: 500 },
  )
  return { id: /worker=(\S+) started/.exec(output)![1], child, output: () => output }
}

beforeAll(async () => {
  const migrate = await runScript('migrate', [], base)
  migrateOutput = migrate.stdout + migrate.stderr
  expect(migrate.code, migrateOutput).toBe(0)
  app = await startApp('compose-stack', { ...base, METRICS_TOKEN, SLOW_COMMAND_MS: '5', RATE_LIMIT_PREFIX: `e2e-stack-${randomBytes(4).toString('hex')}` }, { databaseUrl })
  workers.push(...(await Promise.all([startWorkerProcess(), startWorkerProcess()])))
  payload = await payloadAt(databaseUrl)
  const email = `producer-${randomBytes(3).toString('hex')}@example.test`
  const producer = await loose(payload).create({ collection: 'users', data: { email, password: PASSWORD, name: 'producer' } })
  projectId = String((await loose(payload).create({ collection: 'projects', data: { title: 'Harbour lights', episodeCount: 2, genre: 'drama', createdBy: producer.id } })).id)
  token = (await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { email, password: PASSWORD } })).body.token
}, 900_000)
afterAll(async () => {
  await Promise.all(workers.map(({ child }) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))))
  await app?.stop()
})

it('the migrate step recorded each migration it applied in the audit log', async () => {
  const entries = (await payload.find({ collection: 'audit-log', where: { operation: { equals: 'migrate' } }, depth: 0, limit: 100 })).docs
  expect(entries.length).toBeGreaterThan(0)
  for (const entry of entries) expect(entry).toMatchObject({ collectionSlug: 'payload-migrations', changedFields: ['up'], authMethod: 'system' })
})

it('the containers’ health-check commands: the app is healthy, a worker of this host is alive; a dead app is not', async () => {
  const check = (args: string[], env: Record<string, string> = {}) => runCommand(process.execPath, ['scripts/healthcheck.mjs', ...args], env)
  const healthy = await check(['app', app.url])
  expect(healthy.code, healthy.stderr).toBe(0)
  const worker = await check(['worker'], { DATABASE_URL: databaseUrl })
  expect(worker.code, worker.stderr).toBe(0)
  const closedPort = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
  const dead = await check(['app', `http://127.0.0.1:${closedPort}`])
  expect(dead.code).toBe(1)
  expect(dead.stderr).toMatch(/unhealthy: .*ECONNREFUSED/)
  const otherDatabase = await check(['worker'], { DATABASE_URL: uniqueDatabaseUrl('no-workers') })
  expect(otherDatabase.code).toBe(1)
  expect(otherDatabase.stderr).toMatch(/no worker of .* reported itself alive/)
  expect((await fetch(`${app.url}/api/health?probe=live`)).status).toBe(200)
})

it('a producer enqueues work over HTTP and the workers finish it', async () => {
  const created = await Promise.all(
    [1, 2, 3, 4].map((n) =>
      requestJson(`${app.url}/api/v1/tasks`, { method: 'POST', token, body: { taskType: 'script_generation', project: projectId, input: { parameters: { prompt: `scene ${n}` } } } }),
    ),
  )
  for (const answer of created) expect(answer.status, JSON.stringify(answer.body)).toBe(201)
  const ids = created.map(({ body }) => String(body.id)).sort()
  // Seen from the producer's seat: the project's completed tasks, over HTTP.
  await vi.waitFor(
    async () => {
      const done = await requestJson(`${app.url}/api/v1/tasks?projectId=${projectId}&status=completed&limit=20`, { token })
      expect(done.status).toBe(200)
      expect(done.body.docs.map((task: { id: string }) => task.id).sort()).toEqual(ids)
    },
    { timeout: 120_000, interval: 1000 },
  )
})

it('each maintenance job of this period ran once, on one of the two workers; both report themselves alive', async () => {
  const db = payload.db.connection.db!
  await vi.waitFor(async () => expect(await db.collection(maintenanceCollections.runs).countDocuments({})).toBeGreaterThanOrEqual(3), { timeout: 60_000, interval: 500 })
  const runs = await db.collection(maintenanceCollections.runs).find({}).toArray()
  const ids = workers.map((worker) => worker.id)
  for (const job of ['tasks-archive', 'audit-retention', 'reservations']) {
    const ofJob = runs.filter((run) => run.job === job)
    expect(ofJob, job).toHaveLength(1)
    expect(ids).toContain(ofJob[0].instance)
    expect(ofJob[0].outcome).toBe('ok')
  }
  expect((await db.collection(maintenanceCollections.workers).find({}).toArray()).map((worker) => worker._id).sort()).toEqual([...ids].sort())
})

describe('alert rules against the running app', () => {
  type Rule = { alert: string; expr: string }
  const rules = (parse(readFileSync(path.join(projectRoot, 'monitoring/alerts.rules.yml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules)
  /** Metrics that come from an exporter, not from the app (the monitoring profile scrapes them). */
  const fromExporter = /^mongodb_/
  /** Labels Prometheus attaches to every scraped sample (target labels). */
  const targetLabels = new Set(['job', 'instance'])

  it('every rule selects metrics the app exports, with the labels it uses', async () => {
    // A task of a type no worker here claims stays queued: the per-type queue gauges then have samples.
    expect((await requestJson(`${app.url}/api/v1/tasks`, { method: 'POST', token, body: { taskType: 'video_generation', project: projectId, input: { parameters: { prompt: 'x' } } } })).status).toBe(201)
    const answer = await fetch(`${app.url}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(answer.status).toBe(200)
    const exposition = parseExposition(await answer.text())
    expect(rules.length).toBeGreaterThanOrEqual(12)
    const problems: string[] = []
    for (const rule of rules) {
      const { metrics, groupingLabels } = selectorsOf(rule.expr)
      if (metrics.length === 0) problems.push(`${rule.alert}: selects no metric`)
      for (const metric of metrics) {
        if (fromExporter.test(metric.name)) continue
        const family = exposition.get(metric.name)
        if (!family) {
          problems.push(`${rule.alert}: ${metric.name} is not on /api/metrics`)
          continue
        }
        for (const label of metric.labels.filter((name) => !targetLabels.has(name))) {
          if (!family.labelSets.some((labels) => labels.has(label))) problems.push(`${rule.alert}: no sample of ${metric.name} has the label ${label}`)
        }
      }
      for (const label of groupingLabels.filter((name) => !targetLabels.has(name))) {
        const carriers = metrics.filter((metric) => fromExporter.test(metric.name) || exposition.get(metric.name)?.labelSets.some((labels) => labels.has(label)))
        if (carriers.length === 0) problems.push(`${rule.alert}: groups by ${label}, which none of its metrics carries`)
      }
    }
    expect(problems).toEqual([])
  })

  it('the spec’s five alerts and the queue, worker, backup and 5xx alerts are all there', () => {
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'BackupFailed',
        'ReplicationLagHigh',
        'DiskAlmostFull',
        'HighCpu',
        'HighMemory',
        'SlowQueries',
        'QueueDeep',
        'OldestQueuedTaskOld',
        'TaskFailureRateHigh',
        'NoWorkerHeartbeat',
        'BackupOlderThanItsInterval',
        'ServerErrorRateHigh',
      ]),
    )
  })
})
