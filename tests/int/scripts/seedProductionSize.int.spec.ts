import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { UNIQUE_CLAIMS } from '../../../src/db/globalUniques'
import { createTestPayload } from '../../helpers/payload'
import { runScript } from '../../helpers/runScript'

/**
 * `npm run seed -- --scale` (no number): the demo plus a series at production size, here shrunk through
 * SEED_PRODUCTION_SIZE to the same shape at a size that runs in seconds; then read back through the Local API.
 */
const size = { episodes: 3, scenesPerEpisode: 5, media: 12, tasks: 41 }
let payload: Payload
let cleanup: () => Promise<void>
let seeded: Awaited<ReturnType<typeof runScript>>

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('seed-production'))
  seeded = await runScript('seed', ['--scale'], { DATABASE_URL: process.env.DATABASE_URL!, SEED_PRODUCTION_SIZE: JSON.stringify(size) })
}, 600_000)
afterAll(async () => cleanup?.())

describe('npm run seed -- --scale', () => {
  it('builds the series at the requested size beside the demo, and prints the counts', async () => {
    expect(seeded.code, seeded.stderr).toBe(0)
    const series = (await payload.find({ collection: 'projects', where: { title: { equals: 'The Long Voyage' } }, depth: 0 })).docs
    expect(series).toHaveLength(1)
    const project = series[0].id
    const episodes = (await payload.find({ collection: 'episodes', where: { project: { equals: project } }, sort: 'episodeNumber', limit: 0, depth: 0 })).docs
    expect(episodes).toHaveLength(size.episodes)
    for (const episode of episodes) {
      const scenes = (await payload.find({ collection: 'scenes', where: { episode: { equals: episode.id } }, sort: 'sceneNumber', limit: 0, depth: 0 })).docs
      expect(scenes.map((scene) => scene.sceneNumber)).toEqual([1, 2, 3, 4, 5])
      // The figures the copies changed were recomputed: every scene counted, the approved ones (1, 3, 5) complete.
      expect(episode.production).toMatchObject({ sceneCount: 5, completedScenes: 3 })
    }
    const media = (await payload.find({ collection: 'media', where: { project: { equals: project } }, limit: 0, depth: 0 })).docs
    expect(media).toHaveLength(size.media)
    const filenames = media.map((item) => item.filename)
    expect(new Set(filenames).size).toBe(size.media)
    // Each copy holds its name's claim, as an upload through the app would.
    const claims = await payload.db.connection.db!.collection(UNIQUE_CLAIMS).find({ _id: { $in: filenames.map((name) => `media.filename:${name}`) } as never }).toArray()
    expect(claims.map((claim) => claim.holder).sort()).toEqual(media.map((item) => item.id).sort())
    const tasks = (await payload.find({ collection: 'tasks', where: { project: { equals: project } }, limit: 0, depth: 0 })).docs
    expect(tasks).toHaveLength(size.tasks)
    const finished = tasks.filter((task) => ['completed', 'failed'].includes(String(task.status)))
    expect(finished).toHaveLength(size.tasks)
    expect(tasks.filter((task) => task.status === 'completed').length).toBeGreaterThan(size.tasks * 0.9)
    expect(seeded.stdout).toMatch(new RegExp(`tasks\\s+${size.tasks + 6}\\b`))
  })

  it('refuses a malformed size with exit code 1 and the reason', async () => {
    const bad = await runScript('seed', ['--scale', '--force'], { DATABASE_URL: process.env.DATABASE_URL!, SEED_PRODUCTION_SIZE: '{"media":0}' })
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/media must be a whole number/)
  })
})
