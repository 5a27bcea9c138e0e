import type { Payload } from 'payload'

import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { MaintenanceRun } from '../../../../src/ops/maintenance/runner'
import type { MaintenanceSettings } from '../../../../src/ops/maintenance/settings'
import type { AuditLog, Task, User } from '../../../../src/payload-types'

import { validateArchive } from '../../../../src/db/backup/archive'
import { metrics } from '../../../../src/lib/metrics/registry'
import { maintenanceCollections } from '../../../../src/model/maintenance'
import { runMaintenanceRound } from '../../../../src/ops/maintenance/runner'
import { maintenanceSettings, MaintenanceSettingsError } from '../../../../src/ops/maintenance/settings'
import { collectOpsMetrics } from '../../../../src/ops/metrics/opsMetrics'
import { auditCollection } from '../../../../src/ops/retention/prune'
import { getTaskQueue } from '../../../../src/queue'
import { TASK_ARCHIVE_COLLECTION } from '../../../../src/queue/taskArchive'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * The scheduled maintenance as two worker instances run it against one database: each job runs once per period,
 * whoever takes the turn; it archives finished tasks with their engine documents, prunes old audit entries and
 * stale reservations, backs up to a real S3-compatible server (s3rver) and verifies it, records and audits each run,
 * and the metrics read it back.
 */
const bucket = 'maintenance-backups'
let s3: S3rver
let s3Dir: string
let client: S3Client
let payload: Payload
let cleanup: () => Promise<void>
let settings: MaintenanceSettings
let projectId: string
const hour = 60 * 60 * 1000
const db = () => payload.db.connection.db!

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-maintenance-'))
  s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = (await s3.run()) as { port: number }
  const s3Settings = { bucket, endpoint: `http://127.0.0.1:${port}`, region: 'auto', accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER', forcePathStyle: true }
  client = new S3Client({ ...s3Settings, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  ;({ payload, cleanup } = await createTestPayload('maintenance_runner'))
  const owner = (await fixtures(payload).user()) as User
  projectId = (await fixtures(payload).project(owner.id)).id
  settings = {
    enabled: true,
    everyMs: { 'tasks-archive': hour, 'audit-retention': hour, reservations: hour, backup: hour },
    // Finished a minute ago is old enough here; the default is 30 days.
    taskArchiveAgeMs: 30_000,
    auditRetentionDays: 365,
    reservationAgeMs: hour,
    backup: { s3: s3Settings, prefix: 'backups/' },
  }
}, 120_000)
afterAll(async () => {
  client?.destroy()
  await cleanup?.()
  await s3?.close()
  rmSync(s3Dir, { recursive: true, force: true })
})

async function finishedTask(): Promise<Task> {
  const queue = getTaskQueue(payload)
  const task = (await payload.create({ collection: 'tasks', data: { project: projectId, taskType: 'script_generation', input: { parameters: { prompt: 'x' } } } as never })) as Task
  const claimed = await queue.claim({ workerId: 'w1', types: ['script_generation'] })
  expect(claimed?.task.id).toBe(task.id)
  await queue.complete({ taskId: task.id, attempt: claimed!.attempt, workerId: 'w1', output: { result: { text: 'done' } } })
  return task
}

const runsOf = async (job: string) => db().collection<MaintenanceRun>(maintenanceCollections.runs).find({ job: job as never }).toArray()

describe('one round, two instances', () => {
  let task: Task
  let rounds: MaintenanceRun[][]
  let start: number

  beforeAll(async () => {
    task = await finishedTask()
    await auditCollection(db()).insertOne({ operation: 'update', collectionSlug: 'projects', createdAt: new Date(Date.now() - 400 * 24 * hour), updatedAt: new Date() })
    await db().collection('number-reservations').insertOne({ _id: 'scene:stale' as never, reservedAt: new Date(Date.now() - 2 * hour) })
    // The same moment for both instances: a minute on, so the task finished "long enough" ago.
    start = Date.now() + 60_000
    const now = () => new Date(start)
    rounds = await Promise.all(['instance-a', 'instance-b'].map((instance) => runMaintenanceRound({ payload, instance, settings, now })))
  }, 120_000)

  it('runs each job exactly once between the two instances, each run recorded as ok', async () => {
    const made = rounds.flat()
    expect(made.map((run) => run.job).sort()).toEqual(['audit-retention', 'backup', 'reservations', 'tasks-archive'])
    for (const run of made) expect(run.outcome, run.error).toBe('ok')
    for (const job of ['tasks-archive', 'audit-retention', 'reservations', 'backup']) expect(await runsOf(job)).toHaveLength(1)
  })

  it('moved the finished task, with its lease and settlement, into tasks_archive', async () => {
    expect(await db().collection('tasks').countDocuments({})).toBe(0)
    const archived = await db().collection(TASK_ARCHIVE_COLLECTION).find({}).toArray()
    expect(archived.map((doc) => String(doc._id))).toEqual([task.id])
    expect(archived[0].attempts).toEqual([expect.objectContaining({ attempt: 1, workerId: 'w1', outcome: 'completed' })])
    expect(await db().collection('task_leases').countDocuments({})).toBe(0)
    expect(await db().collection('task_settlements').countDocuments({})).toBe(0)
  })

  it('removed the year-old audit entry and the stale reservation only', async () => {
    expect(await auditCollection(db()).countDocuments({ createdAt: { $lt: new Date(Date.now() - 300 * 24 * hour) } })).toBe(0)
    expect(await auditCollection(db()).countDocuments({})).toBeGreaterThan(0)
    expect(await db().collection('number-reservations').countDocuments({ _id: 'scene:stale' as never })).toBe(0)
  })

  it('uploaded a backup that reads back whole and holds the archived task', async () => {
    const [run] = await runsOf('backup')
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'backups/' }))
    expect(listed.Contents?.map((object) => object.Key)).toEqual([run.summary?.key])
    const body = await (await client.send(new GetObjectCommand({ Bucket: bucket, Key: String(run.summary?.key) }))).Body!.transformToByteArray()
    const file = path.join(s3Dir, 'downloaded.ndjson.gz')
    writeFileSync(file, body)
    const contents = await validateArchive(file)
    expect(contents.summaries.find((summary) => summary.name === TASK_ARCHIVE_COLLECTION)?.count).toBe(1)
    expect(run.summary?.bytes).toBe(body.length)
  })

  it('wrote a system audit entry for the archive, the prune and the backup, naming the run', async () => {
    for (const [job, operation] of [
      ['tasks-archive', 'archive'],
      ['audit-retention', 'prune'],
      ['backup', 'backup'],
    ] as const) {
      const [run] = await runsOf(job)
      const entries = (await payload.find({ collection: 'audit-log', where: { documentId: { equals: String(run._id) } }, depth: 0, overrideAccess: true })).docs as AuditLog[]
      expect(entries).toEqual([expect.objectContaining({ operation, authMethod: 'system' })])
    }
  })

  it('a second round in the same period runs nothing; the next period runs again', async () => {
    const again = await runMaintenanceRound({ payload, instance: 'instance-b', settings, now: () => new Date(start + 1000) })
    expect(again).toEqual([])
    const next = await runMaintenanceRound({ payload, instance: 'instance-b', settings: { ...settings, everyMs: { reservations: hour } }, now: () => new Date(start + hour) })
    expect(next.map((run) => run.job)).toEqual(['reservations'])
  })

  it('the metrics read the runs, the last backup and both workers back from the database', async () => {
    await collectOpsMetrics(payload, new Date(start + 10_000))
    const value = async (name: string, labels: Record<string, string> = {}) =>
      (await metrics().registry.getSingleMetric(name)!.get()).values.find((sample) => Object.entries(labels).every(([key, v]) => sample.labels[key] === v))?.value
    expect(await value('maintenance_runs', { job: 'tasks-archive', outcome: 'ok' })).toBe(1)
    expect(await value('backup_last_success_timestamp_seconds')).toBeGreaterThan(start / 1000 - 1)
    expect(await value('backup_last_failure_timestamp_seconds')).toBe(0)
    expect(await value('workers_alive')).toBe(2)
  })
})

it('a failing backup is recorded as failed (never as a success) and the other jobs still run', async () => {
  const broken = { ...settings, backup: { ...settings.backup!, s3: { ...settings.backup!.s3, bucket: 'no-such-bucket' } } }
  const at = Date.now() + 3 * hour
  const runs = await runMaintenanceRound({ payload, instance: 'instance-a', settings: broken, now: () => new Date(at) })
  expect(runs.map((run) => [run.job, run.outcome])).toEqual([
    ['tasks-archive', 'ok'],
    ['audit-retention', 'ok'],
    ['reservations', 'ok'],
    ['backup', 'failed'],
  ])
  await collectOpsMetrics(payload, new Date(at))
  const failure = (await metrics().backupLastFailure.get()).values[0].value
  expect(failure).toBeGreaterThan(at / 1000 - 1)
})

it('MAINTENANCE=off: nothing runs, the worker still reports itself alive', async () => {
  const at = Date.now() + 6 * hour
  expect(await runMaintenanceRound({ payload, instance: 'instance-c', settings: { ...settings, enabled: false }, now: () => new Date(at) })).toEqual([])
  expect(await db().collection(maintenanceCollections.turns).countDocuments({ period: Math.floor(at / hour) })).toBe(0)
  expect(await db().collection(maintenanceCollections.workers).findOne({ _id: 'instance-c' as never })).toMatchObject({ seenAt: new Date(at) })
})

describe('settings from the environment', () => {
  it('defaults: every job hourly, no backup without an S3 connection, archive after 30 days', () => {
    const read = maintenanceSettings({})
    expect(read).toMatchObject({ enabled: true, everyMs: { 'tasks-archive': hour, 'audit-retention': hour, reservations: hour }, taskArchiveAgeMs: 30 * 24 * hour, auditRetentionDays: 365 })
    expect(read.everyMs.backup).toBeUndefined()
    expect(maintenanceSettings({ MAINTENANCE: 'off' }).enabled).toBe(false)
    expect(maintenanceSettings({ MAINTENANCE_INTERVAL: '15m' }).everyMs.reservations).toBe(15 * 60_000)
  })

  it('a value it cannot read is refused, naming the variable', () => {
    expect(() => maintenanceSettings({ MAINTENANCE_INTERVAL: 'hourly' })).toThrow(MaintenanceSettingsError)
    expect(() => maintenanceSettings({ MAINTENANCE_INTERVAL: '10s' })).toThrow(/MAINTENANCE_INTERVAL/)
    expect(() => maintenanceSettings({ AUDIT_RETENTION_DAYS: '-1' })).toThrow(/AUDIT_RETENTION_DAYS/)
  })
})
