import type { CollectionConfig, Payload } from 'payload'

import { mongooseAdapter } from '@payloadcms/db-mongodb'
import mongoose from 'mongoose'
import { AuthenticationError, BasePayload, buildConfig } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { startFerretDB } from '../../../scripts/lib/ferretdb.mjs'
import { engineSettings } from '../../../src/db/adapter'
import { detectDatabaseEngine } from '../../../src/db/engine'
import { TEST_SECRET, uniqueDatabaseUrl } from '../../helpers/database'

/**
 * Each FerretDB setting in src/db/adapter.ts, shown necessary on FerretDB: the same operation fails with Payload's
 * defaults and works with ours. Skipped on MongoDB, where none of them apply.
 */
const databaseUrl = uniqueDatabaseUrl('ferretdb_workarounds')
const engine = await detectDatabaseEngine(databaseUrl)
const settings = engineSettings(engine)

const Authors: CollectionConfig = {
  slug: 'authors',
  auth: true,
  fields: [
    { name: 'name', type: 'text' },
    { name: 'books', type: 'join', collection: 'books' as never, on: 'author' },
  ],
}
const Books: CollectionConfig = {
  slug: 'books',
  fields: [
    { name: 'title', type: 'text' },
    { name: 'author', type: 'relationship', relationTo: 'authors' as never },
  ],
}

// This file's own collections are not in the app's generated types, so its Payload instances are loosely typed.
type LoosePayload = Payload & Record<'create' | 'find' | 'login', (args: any) => Promise<any>>

async function startPayload(options: { ferretdbSettings: boolean; maxLoginAttempts: number }): Promise<LoosePayload> {
  const config = buildConfig({
    secret: TEST_SECRET,
    collections: [{ ...Authors, auth: { maxLoginAttempts: options.maxLoginAttempts } }, Books],
    db: mongooseAdapter({ url: databaseUrl, ...(options.ferretdbSettings ? settings.adapter : {}) }),
    telemetry: false,
  })
  return (await new BasePayload().init({ config })) as LoosePayload
}

describe.skipIf(engine.kind !== 'ferretdb')('FerretDB workarounds', () => {
  let plain: LoosePayload
  let tuned: LoosePayload
  let authorId: string

  beforeAll(async () => {
    plain = await startPayload({ ferretdbSettings: false, maxLoginAttempts: 5 })
    tuned = await startPayload({ ferretdbSettings: true, maxLoginAttempts: settings.maxLoginAttempts })
    const author = await tuned.create({
      collection: 'authors',
      data: { name: 'Ann', email: 'ann@example.test', password: 'Passw0rd!ann' },
    })
    authorId = String(author.id)
    await tuned.create({ collection: 'books', data: { title: 'First', author: authorId } })
  })
  afterAll(async () => {
    await tuned?.db.connection.dropDatabase()
    await plain?.destroy()
    await tuned?.destroy()
  })

  it('useJoinAggregations: false — Payload joins use $lookup, which FerretDB v1 lacks', async () => {
    await expect(plain.find({ collection: 'authors', depth: 1 })).rejects.toThrow(/\$lookup/)
    const found = await tuned.find({ collection: 'authors', depth: 1 })
    expect(found.docs[0].books?.docs).toHaveLength(1)
  })

  it('transactionOptions: false — FerretDB v1 rejects the fields a transaction sends', async () => {
    const connection = await mongoose.createConnection(databaseUrl).asPromise()
    const session = connection.getClient().startSession()
    session.startTransaction()
    await expect(connection.db!.collection('probe').insertOne({ a: 1 }, { session })).rejects.toThrow(/autocommit/)
    await session.endSession()
    await connection.close()
    expect(await tuned.db.beginTransaction()).toBeNull()
  })

  it('maxLoginAttempts: 0 — the failed-login counter needs findAndModify with fields, which FerretDB v1 lacks', async () => {
    const wrongPassword = { collection: 'authors', data: { email: 'ann@example.test', password: 'wrong' } } as const
    const plainError = await plain.login(wrongPassword).then(
      () => undefined,
      (err: Error) => err,
    )
    // With Payload's default counter the wrong password is not reported as such: the write under it fails.
    expect(plainError).toBeDefined()
    expect(plainError).not.toBeInstanceOf(AuthenticationError)
    await expect(tuned.login(wrongPassword)).rejects.toBeInstanceOf(AuthenticationError)
  })

  it('index hints work on FerretDB v1, so the documentdb preset’s disableIndexHints is not used', async () => {
    const connection = await mongoose.createConnection(databaseUrl).asPromise()
    const books = connection.db!.collection('books')
    await books.createIndex({ title: 1 })
    await expect(books.find({ title: 'First' }).hint({ title: 1 }).toArray()).resolves.toHaveLength(1)
    await connection.close()
  })
})

describe.skipIf(engine.kind !== 'ferretdb')('no bulk writes of 100 statements (why the migrations write per value)', () => {
  const updates = (ids: mongoose.Types.ObjectId[]) => ids.map((_id) => ({ updateOne: { filter: { _id }, update: { $set: { done: true } } } }))

  it('is needed: FerretDB never answers a write of 100 statements, and answers one of 99', async () => {
    // A server of its own: the stalled command must not touch the one the other test files share.
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ferretdb-bulk-'))
    const server = await startFerretDB({ backend: 'sqlite', dataDir, postgresUrl: undefined, port: 0 })
    const connection = await mongoose.createConnection(`${server.uri}bulk`).asPromise()
    try {
      const docs = connection.db!.collection('docs')
      const { insertedIds } = await docs.insertMany(Array.from({ length: 100 }, (_, n) => ({ n })))
      const ids = Object.values(insertedIds)
      await expect(docs.bulkWrite(updates(ids.slice(0, 99)), { ordered: false })).resolves.toMatchObject({ modifiedCount: 99 })
      const stalled = await Promise.race([
        docs.bulkWrite(updates(ids), { ordered: false }).then(() => 'answered'),
        new Promise((resolve) => setTimeout(() => resolve('no answer after 10 s'), 10_000)),
      ])
      expect(stalled).toBe('no answer after 10 s')
    } finally {
      await connection.destroy().catch(() => {})
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})

describe('engine detection', () => {
  it('names the engine the tests run on and picks its settings', () => {
    expect(['ferretdb', 'mongodb']).toContain(engine.kind)
    if (engine.kind === 'ferretdb') expect(settings.maxLoginAttempts).toBe(0)
    else expect(settings).toEqual({ adapter: {}, maxLoginAttempts: 5 })
  })
})
