import mongoose from 'mongoose'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { uniqueDatabaseUrl } from '../../helpers/database'
import { runScript } from '../../helpers/runScript'

/** db:stats, retention and db:shard-plan as ops run them, on a database of their own. */
const databaseUrl = uniqueDatabaseUrl('ops-scripts')
const env = { DATABASE_URL: databaseUrl }
const dir = mkdtempSync(path.join(os.tmpdir(), 'ops-scripts-'))
let connection: mongoose.Connection
const day = 24 * 60 * 60 * 1000
beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl).asPromise()
  const db = connection.db!
  await db.collection('audit-logs').insertMany([
    { operation: 'update', collectionSlug: 'projects', documentId: 'old', createdAt: new Date(Date.now() - 400 * day) },
    { operation: 'update', collectionSlug: 'projects', documentId: 'recent', createdAt: new Date(Date.now() - 10 * day) },
  ])
  await db.collection('number-reservations').insertMany([
    { scope: 'scene:a', number: 1, reservedAt: new Date(Date.now() - 2 * 60 * 60 * 1000) },
    { scope: 'scene:a', number: 2, reservedAt: new Date() },
  ])
  await db.collection('projects').createIndex({ createdBy: 1, status: 1 })
})
afterAll(async () => {
  await connection?.dropDatabase()
  await connection?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('ops scripts', () => {
  it('db:stats lists every collection with sizes and flags the declared indexes that are missing', async () => {
    const result = await runScript('db-stats', ['--json', '--strict'], env)
    expect(result.code).toBe(1) // a fresh database lacks most declared indexes
    const report = JSON.parse(result.stdout)
    const names = report.collections.map((c: { collection: string }) => c.collection)
    expect(names).toEqual(expect.arrayContaining(['audit-logs', 'number-reservations', 'projects']))
    expect(report.collections.find((c: { collection: string }) => c.collection === 'audit-logs').documents).toBe(2)
    expect(report.missingIndexes).toEqual(expect.arrayContaining([{ collection: 'scenes', key: 'project:1,episode:1,sceneNumber:1', unique: true }]))
    expect(report.missingIndexes).not.toEqual(expect.arrayContaining([expect.objectContaining({ collection: 'projects', key: 'createdBy:1,status:1' })]))
  }, 300_000)

  it('retention dry-runs, then archives and drops year-old audit entries and stale reservations only', async () => {
    const db = connection.db!
    const dry = await runScript('retention', ['--dry-run'], env)
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(/audit-log: would remove 1 /)
    expect(dry.stdout).toMatch(/number-reservations: would remove 1 /)
    expect(await db.collection('audit-logs').countDocuments()).toBe(2)

    const archive = path.join(dir, 'audit.ndjson.gz')
    const unconfirmed = await runScript('retention', ['--archive', archive], env)
    expect(unconfirmed.code).toBe(2) // no terminal to ask on, no --yes: nothing happens
    expect(unconfirmed.stderr).toMatch(/pass --yes/)
    expect(await db.collection('audit-logs').countDocuments()).toBe(2)

    const run = await runScript('retention', ['--archive', archive, '--yes'], env)
    expect(run.code, run.stderr).toBe(0)
    expect((await db.collection('audit-logs').find().toArray()).map((entry) => entry.documentId)).toEqual(['recent'])
    expect((await db.collection('number-reservations').find().toArray()).map((entry) => entry.number)).toEqual([2])
    const archived = gunzipSync(await readFile(archive)).toString('utf8').trim().split('\n')
    expect(archived).toHaveLength(1)
    expect(archived[0]).toMatch(/"documentId":"old"/)
    expect(run.stderr).toMatch(/^Database: 127\.0\.0\.1:\d+\/t_ops_scripts_/m)
    const bad = await runScript('retention', ['--audit-days', 'soon'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/^--audit-days \(or AUDIT_RETENTION_DAYS\) takes a positive number of days, not "soon"\.\n\nUsage:/)
  }, 300_000)

  it('retention run again with the same archive file refuses it: the first run\'s entries stay in the file, the new ones in the database', async () => {
    const db = connection.db!
    const archive = path.join(dir, 'audit-monthly.ndjson.gz')
    await db.collection('audit-logs').insertMany([
      { operation: 'create', documentId: 'first-run', createdAt: new Date(Date.now() - 500 * day) },
    ])
    const first = await runScript('retention', ['--archive', archive, '--yes'], env)
    expect(first.code, first.stderr).toBe(0)
    expect(first.stdout).toMatch(/archived 1 entr\(ies\).*removed 1/)
    const firstFile = await readFile(archive)

    await db.collection('audit-logs').insertMany([
      { operation: 'create', documentId: 'second-run', createdAt: new Date(Date.now() - 450 * day) },
    ])
    const second = await runScript('retention', ['--archive', archive, '--yes'], env)
    expect(second.code).toBe(2)
    expect(second.stderr).toMatch(/exists: retention never overwrites an archive/)
    expect(await readFile(archive)).toEqual(firstFile)
    expect(gunzipSync(firstFile).toString('utf8')).toMatch(/"documentId":"first-run"/)
    expect(await db.collection('audit-logs').countDocuments({ documentId: 'second-run' })).toBe(1)

    // A new file takes what is left; every entry is then in exactly one archive.
    const next = path.join(dir, 'audit-monthly-2.ndjson.gz')
    expect((await runScript('retention', ['--archive', next, '--yes'], env)).code).toBe(0)
    expect(gunzipSync(await readFile(next)).toString('utf8').trim().split('\n')).toEqual([expect.stringMatching(/"documentId":"second-run"/)])
    expect(await db.collection('audit-logs').countDocuments({ documentId: { $in: ['first-run', 'second-run'] } })).toBe(0)
  }, 300_000)

  it('backup never overwrites an archive: an existing --out is refused (exit 2) and left as it was', async () => {
    const archive = path.join(dir, 'nightly.ndjson.gz')
    const first = await runScript('backup', ['--out', archive], env)
    expect(first.code, first.stderr).toBe(0)
    const firstFile = await readFile(archive)
    expect(gunzipSync(firstFile).toString('utf8')).toMatch(/"end":true/)
    const second = await runScript('backup', ['--out', archive], env)
    expect(second.code).toBe(2)
    expect(second.stderr).toMatch(/exists: backup never overwrites an archive/)
    expect(await readFile(archive)).toEqual(firstFile)
    expect(existsSync(`${archive}.partial`)).toBe(false)
  }, 300_000)

  it('db:shard-plan prints the commands, every unique index of a sharded collection starting with its shard key', async () => {
    const result = await runScript('db-shard-plan', ['--database', 'prod'], env)
    expect(result.stdout).toContain('sh.enableSharding("prod")')
    for (const collection of ['episodes', 'characters', 'scenes', 'media', 'sessions', 'tasks']) {
      expect(result.stdout).toMatch(new RegExp(`sh\\.shardCollection\\("prod\\.${collection}", \\{"project":1`))
    }
    expect(result.stdout).toMatch(/Unsharded[\s\S]*users:/)
    expect(result.stdout).toMatch(/Unsharded[\s\S]*projects:/)
    expect(result.stdout).toMatch(/Unsharded[\s\S]*unique-claims:/)
    expect(result.stderr).not.toMatch(/does not start with the shard key/)
    expect(result.code, result.stderr).toBe(0)
  }, 300_000)
})
