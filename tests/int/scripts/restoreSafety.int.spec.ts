import mongoose from 'mongoose'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionChecksum, collectionNames } from '../../../src/db/backup/archive'
import { uniqueDatabaseUrl } from '../../helpers/database'
import { runScript } from '../../helpers/runScript'

/**
 * `npm run restore -- FILE --drop` as ops run it, with archives that must not be restored: whatever is wrong with
 * the file, every collection of the database is left as it was (documents, checksums, indexes).
 */
const databaseUrl = uniqueDatabaseUrl('restore-safety')
const env = { DATABASE_URL: databaseUrl }
const dir = mkdtempSync(path.join(os.tmpdir(), 'restore-safety-'))
const good = path.join(dir, 'good.ndjson.gz')
let connection: mongoose.Connection
let lines: string[]

async function fingerprint({ liveOnly = false } = {}) {
  const db = connection.db!
  const result: Record<string, unknown> = {}
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort()
  for (const name of names.filter((n) => !liveOnly || !n.startsWith('_restore_'))) {
    const { count, sha256 } = await collectionChecksum(db, name)
    const indexes = (await db.collection(name).listIndexes().toArray()).map((index) => `${JSON.stringify(index.key)}${index.unique ? '!' : ''}`).sort()
    result[name] = { count, sha256, indexes }
  }
  return result
}

const archive = (name: string, content: Buffer) => {
  const file = path.join(dir, name)
  writeFileSync(file, content)
  return file
}

beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl).asPromise()
  const db = connection.db!
  await db.collection('users').insertMany(Array.from({ length: 30 }, (_, n) => ({ email: `u${n}@example.test`, createdAt: new Date(2026, 0, n + 1) })))
  await db.collection('users').createIndex({ email: 1 }, { unique: true })
  await db.collection('tasks').insertMany(Array.from({ length: 700 }, (_, n) => ({ n, status: n % 2 ? 'queued' : 'completed' })))
  await db.collection('scenes').insertMany([{ title: 'Opening' }, { title: 'Storm' }])
  await db.collection('sessions').insertOne({ messages: [{ role: 'user', text: 'hi' }] })
  const backup = await runScript('backup', ['--out', good], env)
  expect(backup.code, backup.stderr).toBe(0)
  lines = gunzipSync(readFileSync(good)).toString('utf8').trim().split('\n')
  // What the operator has now differs from the archive: the restore would replace it.
  await db.collection('users').insertOne({ email: 'new@example.test' })
  await db.collection('scenes').deleteOne({ title: 'Storm' })
  await db.collection('orders').insertOne({ notInTheArchive: true })
}, 300_000)
afterAll(async () => {
  await connection?.dropDatabase()
  await connection?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('restore --drop refuses a bad archive before touching the database', () => {
  const cases: [string, () => string, RegExp][] = [
    ['truncated after a collection (no end record)', () => archive('no-end.ndjson.gz', gzipSync(lines.slice(0, -1).join('\n'))), /truncated/],
    [
      'truncated in the middle of a collection',
      () => archive('cut.ndjson.gz', gzipSync(lines.slice(0, Math.floor(lines.length / 2)).join('\n'))),
      /truncated|belong/,
    ],
    ['cut short as a file (gzip stream ends early)', () => archive('short.ndjson.gz', readFileSync(good).subarray(0, Math.floor(readFileSync(good).length * 0.6))), /damaged|truncated/],
    [
      'a document changed (checksum no longer matches)',
      () => archive('changed.ndjson.gz', gzipSync(lines.map((line) => line.replace('"u7@example.test"', '"u7@evil.test"')).join('\n'))),
      /checksum/,
    ],
    [
      'a document removed with its count left',
      () => archive('removed.ndjson.gz', gzipSync(lines.filter((line) => !line.includes('"u3@example.test"')).join('\n'))),
      /holds 29 document/,
    ],
    [
      'corrupted bytes inside the gzip stream',
      () => {
        const bytes = Buffer.from(readFileSync(good))
        for (let i = 200; i < 260; i++) bytes[i] ^= 0xff
        return archive('corrupt.ndjson.gz', bytes)
      },
      /damaged|not a JSON|Extended JSON|checksum|belong|unknown/,
    ],
    [
      'a newer archive version',
      () => archive('v2.ndjson.gz', gzipSync([JSON.stringify({ ...JSON.parse(lines[0]), version: 2 }), ...lines.slice(1)].join('\n'))),
      /version 2: this tool reads version 1/,
    ],
    [
      'a version that is no number',
      () => archive('vx.ndjson.gz', gzipSync([JSON.stringify({ ...JSON.parse(lines[0]), version: '1' }), ...lines.slice(1)].join('\n'))),
      /version "1"/,
    ],
    ['not an archive at all', () => archive('plain.ndjson.gz', gzipSync('{"hello":"world"}\n')), /not a movie-platform-backup archive/],
  ]
  it.each(cases)('%s: exit 1, every collection as it was', async (_label, make, message) => {
    const before = await fingerprint()
    const result = await runScript('restore', [make(), '--drop', '--yes'], env)
    expect(result.stderr).toMatch(message)
    expect(result.code, result.stderr).toBe(1)
    expect(await fingerprint()).toEqual(before)
  }, 120_000)
})

describe('restore as an operator runs it', () => {
  it('a missing file is a clear message with exit 2', async () => {
    const result = await runScript('restore', [path.join(dir, 'nope.ndjson.gz'), '--drop', '--yes'], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/No archive at .*nope\.ndjson\.gz/)
    expect(result.stderr).not.toMatch(/ENOENT|at .*\.ts:\d+/)
  })

  it('--drop without a terminal and without --yes refuses before touching anything (exit 2), naming the database', async () => {
    const before = await fingerprint()
    const result = await runScript('restore', [good, '--drop'], env)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/pass --yes/)
    expect(result.stderr).toContain(new URL(databaseUrl).pathname.slice(1))
    expect(await fingerprint()).toEqual(before)
  })

  it('restores a good archive with --drop --yes --verify: the archived collections swapped in, others untouched, no working collections left', async () => {
    const result = await runScript('restore', [good, '--drop', '--yes', '--verify'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/^Database: 127\.0\.0\.1:\d+\/t_restore_safety/m)
    expect(result.stdout).toMatch(/Verified: every collection matches/)
    const db = connection.db!
    expect(await db.collection('users').countDocuments()).toBe(30)
    expect(await db.collection('scenes').countDocuments()).toBe(2)
    expect(await db.collection('tasks').countDocuments()).toBe(700)
    expect(await db.collection('orders').countDocuments()).toBe(1) // not in the archive: left alone
    expect((await db.collection('users').listIndexes().toArray()).some((index) => index.unique && index.key.email === 1)).toBe(true)
    const all = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)
    expect(all.filter((name) => name.startsWith('_restore_'))).toEqual([])
    expect(await collectionNames(db)).toEqual(['orders', 'scenes', 'sessions', 'tasks', 'users'])
  }, 120_000)

  it('a restore killed while staging left the live data as it was; the next restore clears its copies and runs', async () => {
    const db = connection.db!
    // The state a kill during loading leaves: a journal in phase "staging" and a partial staging copy.
    await db.collection('_restore_journal').insertOne({ _id: 'restore' as never, archive: good, startedAt: new Date(), phase: 'staging', collections: ['users', 'tasks'], absentBefore: [] })
    await db.collection('_restore_new_users').insertOne({ email: 'half@example.test' })
    const result = await runScript('restore', [good, '--drop', '--yes'], env)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Dropped the staging copies an earlier, interrupted restore left/)
    expect(await db.collection('users').countDocuments({ email: 'half@example.test' })).toBe(0)
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('_restore_'))).toEqual([])
  }, 120_000)

  it('a restore killed while swapping is refused until --rollback puts the previous collections back, or --resume finishes it', async () => {
    const db = connection.db!
    const scenesBefore = await collectionChecksum(db, 'scenes')
    const usersBefore = await collectionChecksum(db, 'users')
    // Killed mid-swap: users already swapped (previous kept aside), scenes not yet; plus a collection new to the database.
    await db.collection('_restore_journal').insertOne({ _id: 'restore' as never, archive: good, startedAt: new Date(), phase: 'swapping', collections: ['users', 'scenes', 'extras'], absentBefore: ['extras'] })
    await db.renameCollection('users', '_restore_old_users')
    await db.collection('users').insertOne({ email: 'restored@example.test' })
    await db.collection('_restore_new_scenes').insertOne({ title: 'Restored scene' })
    await db.collection('extras').insertOne({ restored: true })

    const refused = await runScript('restore', [good, '--drop', '--yes'], env)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toMatch(/interrupted while swapping.*--resume.*--rollback/s)

    const rollback = await runScript('restore', ['--rollback', '--yes'], env)
    expect(rollback.code, rollback.stderr).toBe(0)
    expect(await collectionChecksum(db, 'users')).toEqual(usersBefore)
    expect(await collectionChecksum(db, 'scenes')).toEqual(scenesBefore)
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name)
    expect(names).not.toContain('extras')
    expect(names.filter((n) => n.startsWith('_restore_'))).toEqual([])

    // The same interruption, finished instead: the verified copies are swapped in.
    await db.collection('_restore_journal').insertOne({ _id: 'restore' as never, archive: good, startedAt: new Date(), phase: 'swapping', collections: ['scenes'], absentBefore: [] })
    await db.collection('_restore_new_scenes').insertOne({ title: 'Restored scene' })
    const resume = await runScript('restore', ['--resume', '--yes'], env)
    expect(resume.code, resume.stderr).toBe(0)
    expect((await db.collection('scenes').find().toArray()).map((scene) => scene.title)).toEqual(['Restored scene'])
    expect((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('_restore_'))).toEqual([])
  }, 120_000)

  describe('killed (kill -9 through the RESTORE_CRASH_AT seam) and picked up again', () => {
    const archived = () =>
      lines
        .filter((line) => line.includes('"sha256"'))
        .map((line) => JSON.parse(line) as { c: string; count: number; sha256: string })
        .map(({ c, count, sha256 }) => ({ name: c, count, sha256 }))
    const live = async () => Promise.all(archived().map(({ name }) => collectionChecksum(connection.db!, name)))
    const workingCollections = async () =>
      (await connection.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('_restore_'))

    it('while loading: every live collection as it was; the next restore clears the copies and completes', async () => {
      await connection.db!.collection('scenes').insertOne({ title: 'Only in the live database' })
      const before = await fingerprint({ liveOnly: true })
      const killed = await runScript('restore', [good, '--drop', '--yes'], { ...env, RESTORE_CRASH_AT: 'staging' })
      expect(killed.code).toBe(1)
      expect(await fingerprint({ liveOnly: true })).toEqual(before)
      expect(await workingCollections()).not.toEqual([])

      const next = await runScript('restore', [good, '--drop', '--yes'], env)
      expect(next.code, next.stderr).toBe(0)
      expect(await live()).toEqual(archived())
      expect(await workingCollections()).toEqual([])
    }, 180_000)

    it('halfway through the swap: refused until --rollback, which gives back exactly the previous data', async () => {
      await connection.db!.collection('scenes').insertOne({ title: 'Only in the live database' })
      const before = await fingerprint({ liveOnly: true })
      const killed = await runScript('restore', [good, '--drop', '--yes'], { ...env, RESTORE_CRASH_AT: 'swap' })
      expect(killed.code).toBe(1)
      expect(await fingerprint({ liveOnly: true })).not.toEqual(before) // a collection is renamed aside

      const refused = await runScript('restore', [good, '--drop', '--yes'], env)
      expect(refused.code).toBe(1)
      expect(refused.stderr).toMatch(/interrupted while swapping/)
      const rollback = await runScript('restore', ['--rollback', '--yes'], env)
      expect(rollback.code, rollback.stderr).toBe(0)
      expect(await fingerprint({ liveOnly: true })).toEqual(before)
      expect(await workingCollections()).toEqual([])
    }, 180_000)

    it('halfway through the swap: --resume finishes it with the verified copies', async () => {
      const killed = await runScript('restore', [good, '--drop', '--yes'], { ...env, RESTORE_CRASH_AT: 'swap' })
      expect(killed.code).toBe(1)
      const resume = await runScript('restore', ['--resume', '--yes'], env)
      expect(resume.code, resume.stderr).toBe(0)
      expect(resume.stdout).toMatch(/Finished the restore of .*good\.ndjson\.gz/)
      expect(await live()).toEqual(archived())
      expect(await workingCollections()).toEqual([])
    }, 180_000)
  })
})
