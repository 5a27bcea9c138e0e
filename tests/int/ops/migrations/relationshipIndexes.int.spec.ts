import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { createHash } from 'node:crypto'
import { afterAll, beforeAll, expect, it } from 'vitest'

import * as migration from '../../../../migrations/20261207_000004_relationship_and_query_indexes'
import { engineOfDb } from '../../../../src/db/engine'
import { keyId } from '../../../../src/db/indexes'
import { compareWithPlan, indexPlan } from '../../../../src/ops/indexPlan'
import { buildIndexes } from '../../../../src/ops/migrations/indexBuilds'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * Migration 000004 on a populated database: down drops its indexes, up builds them again (online on MongoDB), and
 * up → down → up ends with the full plan in place, the documents untouched, and a re-run building nothing.
 */
const { ObjectId } = mongoose.Types
const { EJSON } = mongoose.mongo.BSON
let payload: Payload
let cleanup: () => Promise<void>
let db: mongoose.mongo.Db
const SCENES = 1200
const TASKS = 400
const mediaIds = Array.from({ length: 40 }, () => new ObjectId())
let projectId: mongoose.Types.ObjectId

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('index-migration'))
  db = payload.db.connection.db!
  const f = fixtures(payload)
  const user = await f.user()
  const project = await f.project(user.id)
  projectId = new ObjectId(project.id)
  const episode = new ObjectId()
  // Written with the raw driver, as an older version of the app left them; batches under 100 (FerretDB v1 stalls on
  // a write command of 100 statements or more).
  const insert = async (name: string, docs: Record<string, unknown>[]) => {
    for (let i = 0; i < docs.length; i += 90) await db.collection(name).insertMany(docs.slice(i, i + 90))
  }
  await insert(
    'scenes',
    Array.from({ length: SCENES }, (_, n) => ({
      project: projectId,
      episode,
      sceneNumber: n + 1,
      production: { status: 'pending', videoSegment: mediaIds[n % mediaIds.length], audioTrack: mediaIds[(n + 1) % mediaIds.length] },
      storyboard: { panels: [{ panelNumber: 1, image: mediaIds[(n + 2) % mediaIds.length] }] },
      createdAt: new Date(Date.now() - n * 1000),
      updatedAt: new Date(),
    })),
  )
  await insert(
    'tasks',
    Array.from({ length: TASKS }, (_, n) => ({
      project: projectId,
      taskType: 'image_generation',
      status: 'completed',
      priority: 5,
      output: { mediaId: mediaIds[n % mediaIds.length] },
      input: { promptId: new ObjectId() },
      createdAt: new Date(),
      updatedAt: new Date(),
    })),
  )
  await insert('number-reservations', [{ scope: `scene:${String(episode)}`, number: 1, reservedAt: new Date() }])
}, 240_000)
afterAll(async () => cleanup?.())

/** Every collection's documents, hashed in _id order. */
async function checksums(): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const { name } of await db.listCollections().toArray()) {
    const hash = createHash('sha256')
    for await (const doc of db.collection(name).find({}, { sort: { _id: 1 } })) hash.update(EJSON.stringify(doc, { relaxed: false }))
    result[name] = hash.digest('hex')
  }
  return result
}

/** Which of the migration's indexes the database has (TTL included where the engine has TTL). */
async function builtIndexes(): Promise<string[]> {
  const isMongo = (await engineOfDb(db)).kind === 'mongodb'
  const built: string[] = []
  for (const index of migration.indexes) {
    const actual = (await db.collection(index.collection).listIndexes().toArray()) as { key: Record<string, unknown>; expireAfterSeconds?: number }[]
    const expiry = isMongo ? index.ttlSeconds : undefined
    if (actual.some((candidate) => keyId(candidate.key) === keyId(index.key) && candidate.expireAfterSeconds === expiry)) {
      built.push(`${index.collection} ${keyId(index.key)}`)
    }
  }
  return built
}

async function planState() {
  const { rows } = await compareWithPlan({
    plan: indexPlan(payload.config),
    collections: (await db.listCollections().toArray()).map((collection) => collection.name),
    listIndexes: async (name) => (await db.collection(name).listIndexes().toArray()) as never,
    engine: await engineOfDb(db),
  })
  return rows.filter((row) => row.state === 'missing' || row.state === 'unexpected').map((row) => `${row.collection} ${row.key} ${row.state}`)
}

const args = () => ({ payload, req: {} as never, session: undefined })
const all = () => migration.indexes.map((index) => `${index.collection} ${keyId(index.key)}`)

it('round-trips up → down → up on a populated database, leaving the data as it was', async () => {
  const before = await checksums()
  // The app built the plan at start-up, so the database starts complete.
  expect(await builtIndexes()).toEqual(all())
  expect(await planState()).toEqual([])

  await migration.down(args())
  expect(await builtIndexes()).toEqual([])
  // What db:indexes then reports: exactly the migration's indexes missing, and the one it replaces unexpected.
  const replacedRows = migration.replaced.map((index) => `${index.collection} ${keyId(index.key)} unexpected`)
  expect((await planState()).sort()).toEqual([...all().map((index) => `${index} missing`), ...replacedRows].sort())
  const planned = await migration.dryRun({ payload, direction: 'up' })
  expect(planned.map((report) => report.changed)).toEqual([...migration.indexes, ...migration.replaced].map(() => 1))

  await migration.up(args())
  expect(await builtIndexes()).toEqual(all())
  expect(await planState()).toEqual([])

  await migration.down(args())
  expect(await builtIndexes()).toEqual([])
  await migration.up(args())
  expect(await builtIndexes()).toEqual(all())
  expect(await planState()).toEqual([])
  // A re-run builds nothing.
  expect((await buildIndexes({ payload, indexes: migration.indexes, dryRun: true })).every((report) => report.changed === 0)).toBe(true)

  expect(await checksums()).toEqual(before)
  // The indexed lookups answer as before: where is this medium used, by project.
  const medium = mediaIds[3]
  const scenes = await db.collection('scenes').countDocuments({ project: projectId, 'production.videoSegment': medium })
  expect(scenes).toBe(SCENES / mediaIds.length)
  expect(await db.collection('tasks').countDocuments({ project: projectId, 'output.mediaId': medium })).toBe(TASKS / mediaIds.length)
  if ((await engineOfDb(db)).kind === 'mongodb') {
    const plan = JSON.stringify(await db.collection('scenes').find({ project: projectId, 'production.videoSegment': medium }).explain('queryPlanner'))
    expect(plan).toContain('project_1_production.videoSegment_1')
  }
}, 600_000)

it('replaces a plain reservations index by the TTL one on MongoDB, and keeps a plain one on FerretDB', async () => {
  const reservations = db.collection('number-reservations')
  const ttl = migration.indexes.find((index) => index.ttlSeconds !== undefined)!
  await migration.down(args())
  await reservations.createIndex({ reservedAt: 1 })
  await migration.up(args())
  const index = ((await reservations.listIndexes().toArray()) as { key: Record<string, unknown>; expireAfterSeconds?: number }[]).filter(
    (candidate) => keyId(candidate.key) === 'reservedAt:1',
  )
  const isMongo = (await engineOfDb(db)).kind === 'mongodb'
  expect(index.map((candidate) => candidate.expireAfterSeconds)).toEqual([isMongo ? ttl.ttlSeconds : undefined])
  expect(await planState()).toEqual([])
}, 300_000)
