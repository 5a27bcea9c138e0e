import type { Payload } from 'payload'

import { afterAll, beforeAll, expect, it } from 'vitest'

import { detectDatabaseEngine } from '../../../src/db/engine'
import { compareIndexes, expectedIndexes, keyId } from '../../../src/db/indexes'
import { compareWithPlan, indexPlan } from '../../../src/ops/indexPlan'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('indexes'))
  // mongoose builds declared indexes in the background when a model compiles; wait for it.
  await Promise.all(Object.values(payload.db.collections).map((model) => model.init()))
})
afterAll(async () => cleanup?.())

/** The index list of the data design, collection by collection. */
const specIndexes: Record<string, { key: string; unique?: boolean; text?: boolean }[]> = {
  users: [{ key: 'email:1', unique: true }, { key: 'role:1' }, { key: 'subscription.tier:1' }],
  projects: [
    { key: 'title:text', text: true },
    { key: 'createdBy:1' },
    { key: 'status:1' },
    { key: 'genre:1' },
    { key: 'createdBy:1,status:1' },
    { key: 'collaborators:1,status:1' },
  ],
  episodes: [{ key: 'project:1' }, { key: 'project:1,episodeNumber:1', unique: true }, { key: 'status:1' }],
  characters: [{ key: 'project:1' }, { key: 'name:text', text: true }, { key: 'project:1,name:1' }],
  scenes: [
    { key: 'episode:1' },
    // The design's unique (episode, sceneNumber), prefixed by the project so that it can stay unique on a cluster
    // sharded by project (docs/OPERATIONS.md, Sharding).
    { key: 'project:1,episode:1,sceneNumber:1', unique: true },
    { key: 'production.status:1' },
    { key: 'characters:1' },
  ],
  media: [
    { key: 'project:1' },
    { key: 'episode:1' },
    { key: 'scene:1' },
    { key: 'mediaType:1' },
    { key: 'status:1' },
    { key: 'project:1,mediaType:1' },
    { key: 'episode:1,mediaType:1' },
  ],
  sessions: [{ key: 'project:1' }, { key: 'user:1' }, { key: 'sessionState:1' }, { key: 'user:1,sessionState:1' }],
  tasks: [
    { key: 'status:1' },
    { key: 'taskType:1' },
    { key: 'project:1' },
    { key: 'priority:1' },
    { key: 'status:1,priority:1' },
    { key: 'project:1,status:1' },
    { key: 'createdAt:1' },
  ],
  'prompt-templates': [{ key: 'name:1' }, { key: 'app:1' }, { key: 'stage:1' }, { key: 'app:1,stage:1' }],
  'prompts-executed': [
    { key: 'projectId:1' },
    { key: 'status:1' },
    { key: 'model:1' },
    { key: 'createdAt:1' },
    { key: 'projectId:1,status:1' },
  ],
}

it('declares every index of the data design', () => {
  const expected = expectedIndexes(payload.config.collections)
  for (const [collection, indexes] of Object.entries(specIndexes)) {
    for (const index of indexes) {
      // A text field of the design is covered by the collection's one (weighted, multi-field) text index.
      const covers = (key: Record<string, unknown>) =>
        index.text ? Object.entries(key).some(([field, kind]) => `${field}:${kind}` === index.key) : keyId(key) === index.key
      const match = expected.find((candidate) => candidate.collection === collection && covers(candidate.key))
      expect(match, `${collection} ${index.key}`).toBeDefined()
      expect(match!.unique, `${collection} ${index.key} unique`).toBe(Boolean(index.unique))
      expect(match!.needs, `${collection} ${index.key} engine`).toBe(index.text ? 'mongodb' : 'any')
    }
  }
})

it('has every declared index in the database after start-up, text indexes where the engine has them', async () => {
  const engine = await detectDatabaseEngine(process.env.DATABASE_URL!)
  const report = await compareIndexes({
    expected: expectedIndexes(payload.config.collections),
    engine,
    listIndexes: async (slug) => (await payload.db.collections[slug].collection.listIndexes().toArray()) as never,
  })
  expect(report.filter((row) => row.state === 'missing')).toEqual([])
  const textRows = report.filter((row) => row.key.endsWith(':text'))
  expect(textRows.map((row) => row.state)).toEqual(
    textRows.map(() => (engine.kind === 'mongodb' ? 'present' : 'not-supported')),
  )
})

it('reports an index that is missing', async () => {
  const engine = await detectDatabaseEngine(process.env.DATABASE_URL!)
  const report = await compareIndexes({
    expected: [{ collection: 'episodes', key: { project: 1, episodeNumber: 1 }, unique: true, needs: 'any' }],
    engine,
    // The same key without its unique flag does not satisfy a unique index.
    listIndexes: async () => [{ key: { project: 1, episodeNumber: 1 } }],
  })
  expect(report).toEqual([{ collection: 'episodes', key: 'project:1,episodeNumber:1', unique: true, state: 'missing' }])
})

it('has exactly the full plan after start-up: nothing missing, nothing unexpected, every collection planned', async () => {
  const engine = await detectDatabaseEngine(process.env.DATABASE_URL!)
  const db = payload.db.connection.db!
  const { rows, unplannedCollections } = await compareWithPlan({
    plan: indexPlan(payload.config),
    collections: (await db.listCollections().toArray()).map((collection) => collection.name),
    listIndexes: async (name) => (await db.collection(name).listIndexes().toArray()) as never,
    engine,
  })
  expect(rows.filter((row) => row.state === 'missing' || row.state === 'unexpected')).toEqual([])
  expect(unplannedCollections).toEqual([])
  // the relationship indexes and the raw collections' indexes are part of it
  expect(rows).toContainEqual({ collection: 'scenes', key: 'project:1,production.videoSegment:1', unique: false, state: 'present' })
  expect(rows).toContainEqual({ collection: 'number-reservations', key: 'reservedAt:1', unique: false, ttlSeconds: 3600, state: 'present' })
})

it('reports an unplanned index as unexpected, and a TTL index by its expiry on MongoDB', async () => {
  const mongo = { kind: 'mongodb' } as Awaited<ReturnType<typeof detectDatabaseEngine>>
  const plan = [{ collection: 'number-reservations', key: { reservedAt: 1 as const }, unique: false, needs: 'any' as const, ttlSeconds: 3600 }]
  const listIndexes = async () => [
    { name: '_id_', key: { _id: 1 } },
    { name: 'reservedAt_1', key: { reservedAt: 1 } },
  ]
  const { rows } = await compareWithPlan({ plan, collections: ['number-reservations'], listIndexes, engine: mongo })
  // On MongoDB the plain index is not the TTL index the plan asks for: one missing, one unexpected (and _id too,
  // which this plan leaves out).
  expect(rows.map((row) => `${row.key} ${row.state}`)).toEqual(['reservedAt:1 missing', '_id:1 unexpected', 'reservedAt:1 unexpected'])
  const ferret = { kind: 'ferretdb' } as Awaited<ReturnType<typeof detectDatabaseEngine>>
  const onFerret = await compareWithPlan({ plan, collections: ['number-reservations'], listIndexes, engine: ferret })
  expect(onFerret.rows.map((row) => `${row.key} ${row.state}`)).toEqual(['reservedAt:1 present', '_id:1 unexpected'])
})
