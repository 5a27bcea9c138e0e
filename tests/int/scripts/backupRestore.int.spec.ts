import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionChecksum, collectionNames } from '../../../src/db/backup/archive'
import { type DatabaseEngine, detectDatabaseEngine } from '../../../src/db/engine'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'
import { runScript } from '../../helpers/runScript'

/** `npm run backup` → wipe → `npm run restore -- --verify` on the dev engine loses nothing, types included. */
let payload: Payload
let cleanup: () => Promise<void>
let databaseUrl: string
let engine: DatabaseEngine
const dir = mkdtempSync(path.join(os.tmpdir(), 'backup-test-'))
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('backup-restore'))
  databaseUrl = process.env.DATABASE_URL!
  const make = fixtures(payload)
  const user = await make.user({ role: 'producer' })
  const project = await make.project(user.id)
  const episode = await make.episode(project.id, 1)
  await make.scene(project.id, episode.id, 1, { script: { dialogue: [{ lines: 'Hello', timing: 2 }] } })
  // Types JSON would lose: binary, decimal, long, dates, nested arrays of ObjectIds. FerretDB v1 has no Decimal128
  // (it closes the connection on one), so the decimal is part of the round trip on MongoDB only.
  engine = await detectDatabaseEngine(databaseUrl)
  await payload.db.connection.db!.collection('ops-typed').insertOne({
    bin: new mongoose.mongo.Binary(Buffer.from([0, 1, 2, 255])),
    ...(engine.kind === 'mongodb' ? { dec: mongoose.mongo.Decimal128.fromString('12.3400') } : {}),
    long: mongoose.mongo.Long.fromString('9007199254740993'),
    at: new Date('2026-01-02T03:04:05.678Z'),
    refs: [new mongoose.Types.ObjectId(), new mongoose.Types.ObjectId()],
  })
})
afterAll(async () => {
  await cleanup?.()
  rmSync(dir, { recursive: true, force: true })
})

async function fingerprint() {
  const db = payload.db.connection.db!
  const result: Record<string, unknown> = {}
  for (const name of await collectionNames(db)) {
    const { count, sha256 } = await collectionChecksum(db, name)
    const indexes = (await db.collection(name).listIndexes().toArray()).map((index) => `${JSON.stringify(index.key)}${index.unique ? '!' : ''}`).sort()
    result[name] = { count, sha256, indexes }
  }
  return result
}

describe('backup and restore', () => {
  it('round-trips every collection, then refuses a non-empty target and a damaged archive', async () => {
    const file = path.join(dir, 'backup.ndjson.gz')
    const env = { DATABASE_URL: databaseUrl }
    const before = await fingerprint()
    expect(Object.keys(before)).toEqual(expect.arrayContaining(['users', 'projects', 'episodes', 'scenes', 'ops-typed']))

    const backup = await runScript('backup', ['--out', file], env)
    expect(backup.code, backup.stderr).toBe(0)
    const lines = gunzipSync(await readFile(file)).toString('utf8').trim().split('\n')
    expect(JSON.parse(lines[0])).toMatchObject({ format: 'movie-platform-backup', version: 1 })
    expect(lines.at(-1)).toMatch(/"end":true/)

    await payload.db.connection.db!.dropDatabase()
    expect(await collectionNames(payload.db.connection.db!)).toEqual([])

    const restore = await runScript('restore', [file, '--verify'], env)
    expect(restore.code, restore.stderr + restore.stdout).toBe(0)
    expect(restore.stdout).toMatch(/Verified: every collection matches/)
    expect(await fingerprint()).toEqual(before)
    const typed = await payload.db.connection.db!.collection('ops-typed').findOne({})
    if (engine.kind === 'mongodb') expect(typed!.dec).toBeInstanceOf(mongoose.mongo.Decimal128)
    const exactLong = await payload.db.connection.db!.collection('ops-typed').findOne({}, { promoteLongs: false })
    expect(String(exactLong!.long)).toBe('9007199254740993')
    expect(typed!.bin.buffer).toEqual(Buffer.from([0, 1, 2, 255]))
    expect(typed!.at).toEqual(new Date('2026-01-02T03:04:05.678Z'))
    // The app reads the restored data as before.
    expect((await payload.find({ collection: 'scenes' })).docs[0].script?.dialogue?.[0]?.lines).toBe('Hello')

    const again = await runScript('restore', [file], env)
    expect(again.code).toBe(1)
    expect(again.stderr).toMatch(/already holds .* pass --drop/)

    const truncated = path.join(dir, 'truncated.ndjson.gz')
    writeFileSync(truncated, gzipSync(lines.slice(0, -1).join('\n')))
    const damaged = await runScript('restore', [truncated, '--drop', '--yes'], env)
    expect(damaged.code).toBe(1)
    expect(damaged.stderr).toMatch(/truncated/)

    const usage = await runScript('restore', [], env)
    expect(usage.code).toBe(2)
  }, 900_000)
})
