/**
 * `npm run bench:queue`: the task engine's claim throughput and end-to-end throughput (claim → heartbeat →
 * complete) with 1, 4 and 8 workers, each on a connection of its own, printed beside the raw driver's single-document
 * insert rate on the same server with as many concurrent inserters (the claim's arbiter is one such insert; goal:
 * claims/s ≥ 0.5× that rate). Also counts double claims from the lease documents (goal: 0). Uses DATABASE_URL's
 * server when set, otherwise an embedded FerretDB; works in a database of its own and drops it. Not a test:
 * numbers are printed, nothing is asserted.
 *   BENCH_QUEUE_TASKS (default 300) tasks per measurement; BENCH_QUEUE_WORKERS (default 1,4,8).
 *   `--smoke` (or BENCH_SMOKE=1): 20 tasks with 1 and 2 workers, so CI sees the benchmark run end to end; nothing is
 *   asserted on speed (double claims still fail it).
 */
import { parseOrExit } from '../scripts/lib/connect'
import { randomBytes } from 'node:crypto'
import mongoose from 'mongoose'

import { databaseUrl as withDatabase } from '../scripts/lib/ferretdb.mjs'
import { createTaskQueue } from '../src/queue/taskQueue'
import { queueCollectionsOf } from '../src/queue/queueStore'
import { benchServer } from './lib/benchServer'
import { benchSetting, smokeOption, smokeUsage } from './lib/settings'

const { values: options } = parseOrExit({ options: smokeOption }, `Usage: npm run bench:queue [-- --smoke]

Task engine claim and end-to-end throughput with 1, 4 and 8 workers beside the raw insert rate, and double claims.
Settings: BENCH_QUEUE_TASKS (default 300), BENCH_QUEUE_WORKERS (default 1,4,8). ${smokeUsage} Uses DATABASE_URL's server when set,
otherwise an embedded FerretDB; works in a database of its own and drops it. Exit codes: 0 done, 1 failed, 2 bad arguments.`)

const taskCount = benchSetting('BENCH_QUEUE_TASKS', { full: 300, smoke: 20 }, options.smoke)
const workerCounts = (process.env.BENCH_QUEUE_WORKERS || (options.smoke ? '1,2' : '1,4,8')).split(',').map(Number)

const { uri, stop: stopServer } = await benchServer('movie-platform-bench-queue')
const url = withDatabase(uri, `bench_queue_${randomBytes(4).toString('hex')}`)
const { describeEngine, detectDatabaseEngine } = await import('../src/db/engine')
const engine = await detectDatabaseEngine(url)
const connections: mongoose.Connection[] = []
const connect = async () => {
  const connection = await mongoose.createConnection(url, { autoIndex: false, autoCreate: false, maxPoolSize: 2 }).asPromise()
  connections.push(connection)
  return connection
}
const main = await connect()
const db = main.db!
const project = new mongoose.Types.ObjectId()

async function seed(count: number) {
  const collections = queueCollectionsOf(db)
  await Promise.all([collections.tasks.deleteMany({}), collections.leases.deleteMany({}), collections.settlements.deleteMany({})])
  const base = Date.now()
  await collections.tasks.insertMany(
    Array.from({ length: count }, (_, index) => ({
      _id: new mongoose.Types.ObjectId(),
      taskType: 'image_generation',
      project,
      status: 'queued',
      priority: 1 + (index % 10),
      input: { parameters: { index }, dependencies: [] },
      createdAt: new Date(base + index),
      updatedAt: new Date(base + index),
    })),
  )
}

/** Runs `workers` loops on connections of their own until `work` says there is nothing left; returns per second. */
async function measure(workers: number, count: number, work: (worker: number, connection: mongoose.Connection) => Promise<number>) {
  const pool = await Promise.all(Array.from({ length: workers }, () => connect()))
  const started = performance.now()
  const done = await Promise.all(pool.map((connection, worker) => work(worker, connection)))
  const seconds = (performance.now() - started) / 1000
  const total = done.reduce((sum, n) => sum + n, 0)
  if (total !== count) throw new Error(`expected ${count} operations, counted ${total}`)
  return count / seconds
}

async function rawInsertRate(workers: number) {
  const scratch = db.collection('bench_raw_inserts')
  await scratch.deleteMany({})
  let next = 0
  return measure(workers, taskCount, async (_worker, connection) => {
    const collection = connection.db!.collection('bench_raw_inserts')
    let inserted = 0
    while (next < taskCount) {
      const n = next++
      await collection.insertOne({ _id: `${n}:1` as never, task: n, at: new Date() })
      inserted++
    }
    return inserted
  })
}

async function claimRate(workers: number, { complete }: { complete: boolean }) {
  await seed(taskCount)
  return measure(workers, taskCount, async (worker, connection) => {
    const queue = createTaskQueue({ db: connection.db! })
    let claimed = 0
    for (;;) {
      const claim = await queue.claim({ workerId: `bench-${worker}` })
      if (!claim) return claimed
      claimed++
      if (complete) {
        await queue.heartbeat({ taskId: claim.task.id, attempt: claim.attempt, workerId: `bench-${worker}`, progress: { percentage: 50 } })
        await queue.complete({ taskId: claim.task.id, attempt: claim.attempt, workerId: `bench-${worker}`, output: { metrics: { cost: 0.01, tokensUsed: 1 } } })
      }
    }
  })
}

/** Tasks holding more than one lease at attempt 1: two claimants won the same attempt (never expected). */
async function doubleClaims(): Promise<number> {
  const leases = await queueCollectionsOf(db).leases.find({}, { projection: { task: 1, attempt: 1 } }).toArray()
  const seen = new Set<string>()
  let doubles = 0
  for (const lease of leases) {
    const key = `${String(lease.task)}:${lease.attempt}`
    if (seen.has(key)) doubles++
    seen.add(key)
  }
  return doubles + (leases.length - new Set(leases.map((lease) => String(lease.task))).size)
}

let totalDoubles = 0
try {
  console.log(`Task engine${options.smoke ? ' (smoke run)' : ''} on ${describeEngine(engine)}: ${taskCount} tasks per measurement\n`)
  console.log(`${'workers'.padEnd(8)} ${'raw insert/s'.padStart(13)} ${'claims/s'.padStart(10)} ${'ratio'.padStart(7)} ${'tasks/s e2e'.padStart(12)} ${'ratio'.padStart(7)} ${'double claims'.padStart(14)}`)
  for (const workers of workerCounts) {
    const raw = await rawInsertRate(workers)
    const claims = await claimRate(workers, { complete: false })
    const doublesAfterClaims = await doubleClaims()
    const endToEnd = await claimRate(workers, { complete: true })
    const doubles = doublesAfterClaims + (await doubleClaims())
    totalDoubles += doubles
    console.log(
      `${String(workers).padEnd(8)} ${raw.toFixed(0).padStart(13)} ${claims.toFixed(0).padStart(10)} ${`${(claims / raw).toFixed(2)}×`.padStart(7)} ${endToEnd
        .toFixed(0)
        .padStart(12)} ${`${(endToEnd / raw).toFixed(2)}×`.padStart(7)} ${String(doubles).padStart(14)}`,
    )
  }
  if (totalDoubles > 0) process.exitCode = 1
  console.log('\nratio: against the raw insert rate with as many concurrent inserters (goal for claims: ≥ 0.5×; double claims: 0).')
  console.log('e2e: claim + heartbeat + complete (the settlement insert and the task projection) per task.')
} finally {
  await db.dropDatabase().catch(() => {})
  await Promise.all(connections.map((connection) => connection.close().catch(() => {})))
  await stopServer()
}
process.exit(process.exitCode ?? 0)
