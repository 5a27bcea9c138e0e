import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { getPayload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import * as phase1 from '../../../../migrations/20261128_000001_project_references'
import * as phase2 from '../../../../migrations/20261128_000002_episodes_from_projects'
import { backendFromEnv, databaseUrl, startFerretDB } from '../../../../scripts/lib/ferretdb.mjs'
import { detectDatabaseEngine } from '../../../../src/db/engine'
import { MIGRATION_MARK } from '../../../../src/ops/migrations/episodesFromProjects'
import { TEST_SECRET, uniqueDatabaseUrl } from '../../../helpers/database'

/**
 * Both phases over 10,000 legacy documents written with the raw driver (as the old schema stored them):
 * up → down → up ends where the first up did, a re-run changes nothing, a dry run writes nothing and predicts
 * the counts, and what cannot be migrated is reported by name.
 */
process.env.PROGRESS = 'off'
const { EJSON } = mongoose.mongo.BSON
const PROJECTS = 500
const MEDIA = 7000
const SESSIONS = 2500
const EPISODES_PER_PROJECT = 4

let payload: Payload
let server: Awaited<ReturnType<typeof startFerretDB>> | undefined
/**
 * On FerretDB this file runs on FerretDB's PostgreSQL backend, started here: its SQLite backend scans the whole
 * collection for every update (measured: ~400 ms per updateMany at 7,000 documents against ~12 ms on PostgreSQL),
 * which puts a 10k round trip past fifteen minutes. Same FerretDB, same wire protocol, the filters pushed down to
 * PostgreSQL (docs/OPERATIONS.md, Migrations). On MongoDB (DATABASE_URL set) it runs on the suite's server.
 */
beforeAll(async () => {
  const suiteUrl = uniqueDatabaseUrl('migration-round-trip')
  if ((await detectDatabaseEngine(suiteUrl)).kind === 'ferretdb') {
    server = await startFerretDB({
      backend: 'postgresql',
      postgresUrl: backendFromEnv().postgresUrl,
      dataDir: mkdtempSync(path.join(os.tmpdir(), 'unused-')),
      port: 0,
    })
    process.env.DATABASE_URL = databaseUrl(server.uri, `t_migration_round_trip_${randomBytes(4).toString('hex')}`)
  } else {
    process.env.DATABASE_URL = suiteUrl
  }
  process.env.PAYLOAD_SECRET = TEST_SECRET
  const { default: config } = await import('@payload-config')
  payload = await getPayload({ config })
}, 240_000)
afterAll(async () => {
  await payload?.db.connection.dropDatabase()
  await payload?.destroy()
  await server?.stop()
})

const raw = (slug: 'media' | 'sessions' | 'projects' | 'episodes') => payload.db.collections[slug].collection
const args = () => ({ payload, req: {} as never, session: undefined })
const up = async () => {
  await phase1.up(args())
  await phase2.up(args())
}
const down = async () => {
  await phase2.down(args())
  await phase1.down(args())
}

/** A document's EJSON with its keys in name order: the data and its types, not the order fields were written in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((key) => [key, canonical((value as Record<string, unknown>)[key])]))
  }
  return value
}

/**
 * A fingerprint of every document of the migrated collections, in _id order, types included (EJSON). Field order is
 * left out: a `$rename` moves a field to the end of its document, and nothing in the app reads fields by position.
 */
async function snapshot() {
  const hashes: Record<string, string> = {}
  for (const slug of ['media', 'sessions', 'projects', 'episodes'] as const) {
    const hash = createHash('sha256')
    for await (const doc of raw(slug).find({}, { sort: { _id: 1 } })) hash.update(JSON.stringify(canonical(EJSON.serialize(doc, { relaxed: false }))))
    hashes[slug] = `${await raw(slug).countDocuments()} ${hash.digest('hex')}`
  }
  return hashes
}

async function insertInBatches(slug: 'media' | 'sessions' | 'projects', docs: Record<string, unknown>[]) {
  for (let start = 0; start < docs.length; start += 1000) await raw(slug).insertMany(docs.slice(start, start + 1000))
}

describe('phases 1 and 2 over 10k legacy documents', () => {
  let projectIds: mongoose.Types.ObjectId[]
  let legacy: Record<string, string>

  beforeAll(async () => {
    const owner = new mongoose.Types.ObjectId()
    projectIds = Array.from({ length: PROJECTS }, () => new mongoose.Types.ObjectId())
    const statuses = ['planning', 'scripting', 'production', 'completed', 'not-a-status']
    await insertInBatches(
      'projects',
      projectIds.map((_id, p) => ({
        _id,
        title: `Legacy ${p}`,
        createdBy: owner,
        status: 'production',
        episodeCount: 2,
        createdAt: new Date(Date.UTC(2025, 0, 1 + (p % 300))),
        // Project 0 lists number 1 twice; the others number their entries 1..4 (one entry without a number).
        episodes: Array.from({ length: EPISODES_PER_PROJECT }, (_, e) => ({
          ...(p === 0 && e === 1 ? { episodeNumber: 1 } : e === 2 ? {} : { episodeNumber: e + 1 }),
          title: `Episode ${e + 1} of ${p}`,
          status: statuses[(p + e) % statuses.length],
        })),
      })),
    )
    // Project 1 already has a hand-made episode 2 (not this migration's): that entry cannot move.
    await raw('episodes').insertOne({ project: projectIds[1], episodeNumber: 2, title: 'Hand-made', status: 'planning' })
    await insertInBatches(
      'media',
      Array.from({ length: MEDIA }, (_, m) => ({
        filename: `m${m}.png`,
        mediaType: 'concept_art',
        // Every 1000th names no project.
        project: m % 1000 === 999 ? `gone-${m}` : String(projectIds[m % PROJECTS]),
      })),
    )
    await insertInBatches(
      'sessions',
      Array.from({ length: SESSIONS }, (_, s) => ({ user: owner, project: String(projectIds[s % PROJECTS]), sessionState: 'active' })),
    )
    legacy = await snapshot()
  }, 600_000)

  it('a dry run predicts the changes and writes nothing', async () => {
    const reports = [...(await phase1.dryRun({ payload, direction: 'up' })), ...(await phase2.dryRun({ payload, direction: 'up' }))]
    expect(await snapshot()).toEqual(legacy)
    const [media, sessions, episodes] = reports
    expect(media.changed).toBe(MEDIA - MEDIA / 1000)
    expect(media.problems).toHaveLength(MEDIA / 1000)
    expect(media.problems[0]).toMatch(/gone-999/)
    expect(sessions).toMatchObject({ changed: SESSIONS, problems: [] })
    // Every entry but two becomes an episode; each project is updated once.
    expect(episodes.changed).toBe(PROJECTS * EPISODES_PER_PROJECT - 2 + PROJECTS)
    expect(episodes.problems).toEqual([
      expect.stringMatching(new RegExp(`project ${String(projectIds[0])} episodes\\[1\\] \\(number 1\\): duplicate`)),
      expect.stringMatching(new RegExp(`project ${String(projectIds[1])} episodes\\[1\\] \\(number 2\\): episode .* already has this number`)),
    ])
  }, 600_000)

  it('up → down → up ends with no difference, down restores the legacy data, and a re-run changes nothing', async () => {
    await up()
    const afterUp = await snapshot()
    expect(await raw('episodes').countDocuments({ migratedBy: MIGRATION_MARK })).toBe(PROJECTS * EPISODES_PER_PROJECT - 2)
    expect(await raw('media').countDocuments({ project: { $type: 'objectId' } })).toBe(MEDIA - MEDIA / 1000)

    // Derived figures: a project's progress follows its episodes (completed = 100, planning = 0 …).
    const project2 = await raw('projects').findOne({ _id: projectIds[2] })
    expect(project2!.episodeCount).toBe(4)
    expect(project2!.progress.overallProgress).toBeGreaterThan(0)

    await down()
    const afterDown = await snapshot()
    expect(afterDown.media).toBe(legacy.media)
    expect(afterDown.sessions).toBe(legacy.sessions)
    expect(await raw('episodes').countDocuments()).toBe(1) // only the hand-made one
    const restored = await raw('projects').findOne({ _id: projectIds[0] })
    expect(restored!.episodes).toHaveLength(EPISODES_PER_PROJECT)
    expect(restored!.legacyEpisodes).toBeUndefined()

    await up()
    expect(await snapshot()).toEqual(afterUp)
    await up()
    expect(await snapshot()).toEqual(afterUp)
  }, 1_800_000)
})
