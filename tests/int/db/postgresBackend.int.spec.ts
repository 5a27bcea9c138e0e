import { mkdtempSync } from 'node:fs'
import mongoose from 'mongoose'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'

import { databaseUrl, startFerretDB } from '../../../scripts/lib/ferretdb.mjs'
import { detectDatabaseEngine } from '../../../src/db/engine'

/** FERRETDB_BACKEND=postgresql runs the embedded server on the machine's PostgreSQL (127.0.0.1:5432). */
let server: Awaited<ReturnType<typeof startFerretDB>>
beforeAll(async () => {
  server = await startFerretDB({
    backend: 'postgresql',
    postgresUrl: process.env.FERRETDB_POSTGRESQL_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    dataDir: mkdtempSync(path.join(os.tmpdir(), 'unused-')),
    port: 0,
  })
})
afterAll(async () => server?.stop())

it('stores and reads documents through the PostgreSQL backend', async () => {
  const url = databaseUrl(server.uri, `postgres_backend_${Date.now()}`)
  expect((await detectDatabaseEngine(url)).kind).toBe('ferretdb')
  const connection = await mongoose.createConnection(url).asPromise()
  try {
    const things = connection.db!.collection('things')
    await things.createIndex({ code: 1 }, { unique: true })
    await things.insertOne({ code: 'a', nested: { list: [1, 2, 3] } })
    await expect(things.insertOne({ code: 'a' })).rejects.toThrow(/duplicate key/i)
    expect(await things.findOne({ code: 'a' }, { projection: { _id: 0 } })).toEqual({ code: 'a', nested: { list: [1, 2, 3] } })
  } finally {
    await connection.dropDatabase()
    await connection.close()
  }
})
