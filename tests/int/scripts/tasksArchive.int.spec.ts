import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { uniqueDatabaseUrl } from '../../helpers/database'
import { runScript } from '../../helpers/runScript'
import { root } from '../../setup/appBuild'

/**
 * `npm run tasks:archive` from a clean shell on a database of its own: a dry run changes nothing; a run killed
 * mid-way and run again loses nothing (live + archived = before, no task in both, none twice); a third run has
 * nothing to do; tasks that are recent, open, or needed by an open dependant stay.
 */
const databaseUrl = uniqueDatabaseUrl('tasks-archive')
const env = { DATABASE_URL: databaseUrl }
const day = 24 * 60 * 60 * 1000
let connection: mongoose.Connection
let db: mongoose.mongo.Db
const ObjectId = mongoose.Types.ObjectId
const project = new ObjectId()
const OLD_FINISHED = 600
let neededByOpen: mongoose.Types.ObjectId
const expectedKept: string[] = []
let total = 0

const createdAt = new Date(Date.now() - 60 * day)
/** An id made when the task was created, as the app's are: it carries the creation time (the archive's bound relies on it). */
const idMadeAt = (at: Date) => new ObjectId(Math.floor(at.getTime() / 1000).toString(16).padStart(8, '0') + randomBytes(8).toString('hex'))
const task = (status: string, finishedDaysAgo: number | null, extra: Record<string, unknown> = {}) => ({
  _id: idMadeAt(createdAt),
  project,
  taskType: 'image_generation',
  status,
  priority: 5,
  createdAt,
  updatedAt: new Date(Date.now() - (finishedDaysAgo ?? 60) * day),
  ...(finishedDaysAgo !== null ? { completedAt: new Date(Date.now() - finishedDaysAgo * day) } : {}),
  ...extra,
})

beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl).asPromise()
  db = connection.db!
  const statuses = ['completed', 'failed', 'cancelled']
  const old = Array.from({ length: OLD_FINISHED }, (_, i) => task(statuses[i % 3], 40, { output: { metrics: { cost: 0.01 * i } } }))
  const recent = Array.from({ length: 5 }, () => task('completed', 5))
  const open = Array.from({ length: 5 }, () => task('queued', null))
  const needed = task('completed', 45)
  neededByOpen = needed._id
  const dependant = task('queued', null, { input: { dependencies: [needed._id] } })
  // A finished task from before the engine set completedAt: judged by its last update.
  const legacy = task('completed', null)
  await db.collection('tasks').insertMany([...old, ...recent, ...open, needed, dependant, legacy])
  expectedKept.push(...[...recent, ...open, needed, dependant].map((doc) => String(doc._id)))
  // What an earlier run that died between copying and deleting leaves: ten tasks in both collections.
  await db.collection('tasks_archive').insertMany(old.slice(0, 10).map((doc) => ({ ...doc, archivedAt: new Date(), archiveReason: 'retention' })))
  total = OLD_FINISHED + 5 + 5 + 3
})
afterAll(async () => {
  await connection?.dropDatabase()
  await connection?.close()
})

const ids = async (collection: string) => (await db.collection(collection).find({}, { projection: { _id: 1 } }).toArray()).map((doc) => String(doc._id))

describe('npm run tasks:archive', () => {
  it('refuses bad arguments (exit 2) and dry-runs without changing anything', async () => {
    expect((await runScript('tasks-archive', ['--older-than', 'soon'], env)).code).toBe(2)
    expect((await runScript('tasks-archive', ['--batch-size', '0'], env)).code).toBe(2)
    const dry = await runScript('tasks-archive', ['--older-than', '30d', '--dry-run'], env)
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(new RegExp(`would archive ${OLD_FINISHED + 1} finished before`))
    expect(dry.stdout).toMatch(/kept 1 an open task depends on/)
    expect(await db.collection('tasks').countDocuments()).toBe(total)
    expect(await db.collection('tasks_archive').countDocuments()).toBe(10)
  }, 120_000)

  it('loses nothing when killed mid-run and run again, and a further run has nothing to do', async () => {
    const child = spawn(process.execPath, [path.join(root, 'scripts/run-ts.mjs'), 'scripts/tasks-archive.ts', '--older-than', '30d', '--batch-size', '5'], {
      cwd: root,
      env: { ...process.env, PROGRESS: 'off', ...env },
      stdio: 'ignore',
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // Killed once it has moved some batches (the ten seeded copies are there from the start).
    for (let i = 0; i < 600 && (await db.collection('tasks_archive').countDocuments()) < 60; i++) await new Promise((r) => setTimeout(r, 25))
    child.kill('SIGKILL')
    await exited
    const liveAfterKill = await ids('tasks')
    const archivedAfterKill = await ids('tasks_archive')
    expect(liveAfterKill.length, 'the run was killed before it finished').toBeGreaterThan(expectedKept.length + 1)
    // Nothing lost at the moment of the kill: every task is live, archived, or both.
    expect(new Set([...liveAfterKill, ...archivedAfterKill]).size).toBe(total)

    const rerun = await runScript('tasks-archive', ['--older-than', '30d', '--batch-size', '50'], env)
    expect(rerun.code, rerun.stderr).toBe(0)
    const live = await ids('tasks')
    const archived = await ids('tasks_archive')
    expect(live.length + archived.length).toBe(total)
    expect(live.filter((id) => archived.includes(id))).toEqual([])
    expect(new Set(archived).size).toBe(archived.length)
    expect(live.sort()).toEqual([...expectedKept].sort())
    expect(live).toContain(String(neededByOpen))
    const copy = await db.collection('tasks_archive').findOne({ status: 'completed', 'output.metrics.cost': { $gt: 0 } })
    expect(copy).toMatchObject({ archiveReason: 'retention', project, taskType: 'image_generation' })
    expect(copy?.archivedAt).toBeInstanceOf(Date)

    const again = await runScript('tasks-archive', ['--older-than', '30d'], env)
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toMatch(/archived 0 finished before/)
    expect(await ids('tasks_archive')).toHaveLength(archived.length)
  }, 300_000)
})
