import { mkdtempSync } from 'node:fs'
import mongoose from 'mongoose'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, inject, it } from 'vitest'

import { databaseUrl, startFerretDB } from '../../../scripts/lib/ferretdb.mjs'
import { queueCollectionsOf, type LeaseDoc, type SettlementDoc } from '../../../src/queue/queueStore'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'

/**
 * The proof of the engine under concurrency, on FerretDB (where no update is atomic) with the SQLite and the
 * PostgreSQL backend: 8 workers on connections of their own over 1,000 tasks, some failing (retried, some for
 * good), some cancelled, some with dependencies, and workers killed while holding a task. Every claim is recorded
 * and checked: no task is held by two at once, each ends completed exactly once, failed after its retries, or
 * cancelled; dependants run after their dependencies. (Backoff timings on a fake clock: taskQueue.int.spec.ts.)
 */
// The proof is 1,000 tasks (`QUEUE_PROOF_TASKS=1000 npx vitest run tests/int/queue/concurrency.int.spec.ts`:
// the PostgreSQL backend passed at 1,000 under load; the SQLite backend did not finish 1,000 within 10 minutes on a
// loaded machine — open item of issue 11). The suite's default keeps CI within its time budget.
const TASKS = Number(process.env.QUEUE_PROOF_TASKS || 200)
const WORKERS = 8
const KILLED = 3
// Long enough that a live worker on a loaded machine keeps its lease; killed workers' leases run out after it.
const LEASE_MS = 4_000
const MAX_RETRIES = 2
/** How long the run may take: generous, since FerretDB on a loaded 2-core machine serves a few tasks per second. */
const DEADLINE_MS = Math.max(170_000, TASKS * 600)

type Hold = { taskId: string; workerId: string; attempt: number; from: number; to: number }

const connections: mongoose.Connection[] = []
afterAll(async () => {
  await Promise.all(connections.map((connection) => connection.close().catch(() => undefined)))
})

async function connect(url: string): Promise<mongoose.Connection> {
  const connection = await mongoose.createConnection(url, { autoIndex: false, autoCreate: false, maxPoolSize: 4 }).asPromise()
  connections.push(connection)
  return connection
}

const queueOn = (connection: mongoose.Connection): TaskQueue =>
  createTaskQueue({
    db: connection.db!,
    leaseMs: LEASE_MS,
    retryPolicies: { image_generation: { maxRetries: MAX_RETRIES, baseDelayMs: 20, maxDelayMs: 100, jitter: 0.5 } },
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function prove(url: string) {
  const setup = await connect(url)
  const db = queueCollectionsOf(setup.db!)
  await Promise.all([db.tasks.deleteMany({}), db.leases.deleteMany({}), db.settlements.deleteMany({}), db.cancelRequests.deleteMany({})])
  const project = new mongoose.Types.ObjectId()
  // The plan: every 7th task fails once (then succeeds), every 50th fails every time (fails for good), every 5th
  // depends on the task before it.
  const ids = Array.from({ length: TASKS }, () => new mongoose.Types.ObjectId())
  const failTimes = (index: number) => (index % 50 === 3 ? 99 : index % 7 === 0 ? 1 : 0)
  const base = Date.now()
  await db.tasks.insertMany(
    ids.map((_id, index) => ({
      _id,
      taskType: 'image_generation',
      project,
      status: 'queued',
      priority: 1 + (index % 10),
      input: { parameters: { index, failTimes: failTimes(index) }, dependencies: index % 5 === 4 ? [ids[index - 1]] : [] },
      createdAt: new Date(base + index),
      updatedAt: new Date(base + index),
    })),
  )

  const holds: Hold[] = []
  const completions = new Map<string, number>()
  let isDone = false

  async function work(workerId: string, { dieAfterClaim = false } = {}) {
    const connection = await connect(url)
    const queue = queueOn(connection)
    while (!isDone) {
      const claimed = await queue.claim({ workerId })
      if (!claimed) {
        await sleep(20)
        continue
      }
      const taskId = claimed.task.id
      const hold: Hold = { taskId, workerId, attempt: claimed.attempt, from: Date.now(), to: Number.POSITIVE_INFINITY }
      holds.push(hold)
      if (dieAfterClaim) {
        // Killed while holding: its connection goes away and it never settles; the lease must expire.
        hold.to = Date.now()
        await connection.close(true)
        return
      }
      try {
        const beat = await queue.heartbeat({ taskId, attempt: claimed.attempt, workerId, progress: { percentage: 50 } })
        if (beat.cancelRequested) {
          hold.to = Date.now()
          continue
        }
        const { index, failTimes: planned } = (claimed.task.input as { parameters: { index: number; failTimes: number } }).parameters
        hold.to = Date.now()
        if (claimed.attempt <= planned) {
          await queue.fail({ taskId, attempt: claimed.attempt, workerId, error: { code: 'PLANNED', message: `planned failure of ${index}` } })
        } else {
          await queue.complete({ taskId, attempt: claimed.attempt, workerId, output: { result: { index }, metrics: { cost: 0.01, tokensUsed: 1 } } })
          completions.set(taskId, (completions.get(taskId) ?? 0) + 1)
        }
      } catch (err) {
        hold.to = Math.min(hold.to, Date.now())
        // Only the engine's refusals (a cancellation or an expiry that won) are expected here.
        if ((err as { status?: number }).status !== 409) throw err
      }
    }
  }

  const canceller = queueOn(await connect(url))
  const cancelled = new Set<string>()
  async function cancelSome() {
    for (let index = 11; index < TASKS; index += 97) {
      await sleep(30)
      const taskId = ids[index].toHexString()
      try {
        await canceller.cancel({ taskId, reason: 'changed my mind' })
        cancelled.add(taskId)
      } catch (err) {
        if ((err as { status?: number }).status !== 409) throw err // already finished
      }
    }
  }

  const started = Date.now()
  const workers = [
    ...Array.from({ length: WORKERS }, (_, index) => work(`worker-${index}`)),
    ...Array.from({ length: KILLED }, (_, index) => work(`doomed-${index}`, { dieAfterClaim: true })),
  ]
  const cancelling = cancelSome()
  try {
    for (;;) {
      await sleep(500)
      const open = await db.tasks.countDocuments({ status: { $in: ['queued', 'processing'] } })
      if (open === 0) break
      if (Date.now() - started > DEADLINE_MS) throw new Error(`${open} tasks still open after ${DEADLINE_MS / 1000} s`)
    }
  } finally {
    isDone = true
    const ended = await Promise.allSettled([...workers, cancelling])
    const failure = ended.find((result) => result.status === 'rejected')
    if (failure) throw (failure as PromiseRejectedResult).reason
  }
  const elapsedMs = Date.now() - started

  // What the database holds: every task final, none lost.
  const tasks = await db.tasks.find({}).toArray()
  expect(tasks).toHaveLength(TASKS)
  const statusOf = new Map(tasks.map((task) => [task._id.toHexString(), task.status as string]))
  expect([...statusOf.values()].every((status) => ['completed', 'failed', 'cancelled'].includes(status))).toBe(true)

  const leases = (await db.leases.find({}).toArray()) as LeaseDoc[]
  const settlements = new Map(((await db.settlements.find({}).toArray()) as SettlementDoc[]).map((s) => [s._id, s]))
  // Every attempt ended exactly once, and the next attempt began only after the previous one ended.
  const leasesByTask = new Map<string, LeaseDoc[]>()
  for (const lease of leases) leasesByTask.set(lease.task.toHexString(), [...(leasesByTask.get(lease.task.toHexString()) ?? []), lease])
  for (const [taskId, taskLeases] of leasesByTask) {
    taskLeases.sort((a, b) => a.attempt - b.attempt)
    taskLeases.forEach((lease, index) => {
      expect(lease.attempt, taskId).toBe(index + 1)
      const ended = settlements.get(lease._id)
      expect(ended, lease._id).toBeDefined()
      const next = taskLeases[index + 1]
      if (next) expect(next.claimedAt.getTime(), lease._id).toBeGreaterThanOrEqual(ended!.at.getTime())
    })
  }
  // The workers' own view: no two holds of one task overlap.
  const holdsByTask = new Map<string, Hold[]>()
  for (const hold of holds) holdsByTask.set(hold.taskId, [...(holdsByTask.get(hold.taskId) ?? []), hold])
  let overlaps = 0
  for (const taskHolds of holdsByTask.values()) {
    taskHolds.sort((a, b) => a.from - b.from)
    for (let index = 1; index < taskHolds.length; index++) if (taskHolds[index].from < taskHolds[index - 1].to) overlaps++
  }
  expect(overlaps).toBe(0)

  const killedHolds = holds.filter((hold) => hold.workerId.startsWith('doomed'))
  expect(killedHolds).toHaveLength(KILLED)
  for (const hold of killedHolds) {
    expect(settlements.get(`${hold.taskId}:${hold.attempt}`)?.outcome).toMatch(/expired|cancelled/)
  }

  for (const [index, id] of ids.entries()) {
    const taskId = id.toHexString()
    const status = statusOf.get(taskId)
    const ended = (leasesByTask.get(taskId) ?? []).map((lease) => settlements.get(lease._id)!)
    const completedCount = ended.filter((settlement) => settlement.outcome === 'completed').length
    expect(completions.get(taskId) ?? 0, taskId).toBe(completedCount)
    if (status === 'completed') {
      expect(completedCount, taskId).toBe(1)
      const dependency = index % 5 === 4 ? ids[index - 1].toHexString() : undefined
      if (dependency) {
        expect(statusOf.get(dependency)).toBe('completed')
        const dependencyDone = [...settlements.values()].find((s) => s.task.toHexString() === dependency && s.outcome === 'completed')!
        expect(leasesByTask.get(taskId)![0].claimedAt.getTime()).toBeGreaterThanOrEqual(dependencyDone.at.getTime())
      }
    } else {
      expect(completedCount, taskId).toBe(0)
    }
    if (status === 'failed') {
      expect(ended.filter((settlement) => ['failed', 'expired'].includes(settlement.outcome))).toHaveLength(MAX_RETRIES + 1)
    }
    if (status === 'cancelled') {
      const dependency = index % 5 === 4 ? ids[index - 1].toHexString() : undefined
      const isExplained = cancelled.has(taskId) || (dependency !== undefined && ['failed', 'cancelled'].includes(statusOf.get(dependency)!))
      expect(isExplained, taskId).toBe(true)
    }
    // A task planned to fail every time never completes; those planned to fail once complete unless cancelled.
    if (failTimes(index) === 99) expect(status).not.toBe('completed')
  }
  const counts = Object.fromEntries(['completed', 'failed', 'cancelled'].map((s) => [s, [...statusOf.values()].filter((v) => v === s).length]))
  expect(counts.failed).toBeGreaterThan(0)
  expect(counts.cancelled).toBeGreaterThan(0)
  console.log(`[queue proof] ${TASKS} tasks, ${WORKERS} workers (+${KILLED} killed), ${leases.length} claims in ${elapsedMs} ms: ${JSON.stringify(counts)}`)
}

describe('the task engine under concurrency', () => {
  it('FerretDB, SQLite backend', { timeout: DEADLINE_MS + 60_000 }, async () => {
    const url = new URL(inject('databaseServerUri'))
    url.pathname = `/queue_proof_${Date.now()}`
    try {
      await prove(url.toString())
    } finally {
      await connections[0]?.dropDatabase().catch(() => undefined)
      await Promise.all(connections.splice(0).map((connection) => connection.close(true).catch(() => undefined)))
    }
  })

  it('FerretDB, PostgreSQL backend', { timeout: DEADLINE_MS + 90_000 }, async () => {
    const server = await startFerretDB({
      backend: 'postgresql',
      postgresUrl: process.env.FERRETDB_POSTGRESQL_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'unused-')),
      port: 0,
    })
    const url = databaseUrl(server.uri, `queue_proof_pg_${Date.now()}`)
    try {
      await prove(url)
    } finally {
      const cleanup = await mongoose.createConnection(url).asPromise()
      await cleanup.dropDatabase()
      await cleanup.close()
      await Promise.all(connections.splice(0).map((connection) => connection.close(true).catch(() => undefined)))
      await server.stop()
    }
  })
})
