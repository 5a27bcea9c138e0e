import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { uniqueDatabaseUrl } from '../../helpers/database'
import { createTestPayload } from '../../helpers/payload'
import { runScript } from '../../helpers/runScript'

/** `npm run seed` as ops run it, on an empty database of its own; then read back as the demo users see it. */
let payload: Payload
let cleanup: () => Promise<void>
let env: Record<string, string>
let seeded: Awaited<ReturnType<typeof runScript>>

/** The demo accounts the script printed: email → password. */
const printedPasswords = (stdout: string) =>
  Object.fromEntries([...stdout.matchAll(/^\s+(\S+@demo\.test)\s+\w+\s+(Demo-\S+)$/gm)].map(([, email, password]) => [email, password]))

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('seed'))
  env = { DATABASE_URL: process.env.DATABASE_URL! }
  seeded = await runScript('seed', [], env)
}, 600_000)
afterAll(async () => cleanup?.())

describe('npm run seed', () => {
  it('builds the demo production on an empty database and prints each account’s password once', async () => {
    expect(seeded.code, seeded.stderr).toBe(0)
    const passwords = printedPasswords(seeded.stdout)
    expect(Object.keys(passwords).sort()).toEqual(['admin@demo.test', 'outsider@demo.test', 'producer@demo.test', 'writer@demo.test'])
    for (const [email, password] of Object.entries(passwords)) {
      await expect(payload.login({ collection: 'users', data: { email, password } }), email).resolves.toHaveProperty('token')
    }
    const roles = (await payload.find({ collection: 'users', limit: 0, depth: 0 })).docs.map((user) => user.role)
    expect(new Set(roles)).toEqual(new Set(['admin', 'producer', 'user']))
  })

  it('reaches every task status, several project and episode stages, scenes with dialogue and real images', async () => {
    const tasks = await payload.find({ collection: 'tasks', limit: 0, depth: 0 })
    expect(new Set(tasks.docs.map((task) => task.status))).toEqual(new Set(['queued', 'processing', 'completed', 'failed', 'cancelled']))
    const projects = await payload.find({ collection: 'projects', limit: 0, depth: 0 })
    expect(new Set(projects.docs.map((project) => project.status)).size).toBeGreaterThanOrEqual(3)
    const episodes = await payload.find({ collection: 'episodes', limit: 0, depth: 0 })
    expect(new Set(episodes.docs.map((episode) => episode.status)).size).toBeGreaterThanOrEqual(3)
    // Derived figures were computed by the hooks, as for documents made in the admin.
    const withScenes = episodes.docs.find((episode) => (episode.production?.sceneCount ?? 0) > 0)
    expect(withScenes?.production).toMatchObject({ sceneCount: 3, completedScenes: 1 })
    const scenes = await payload.find({ collection: 'scenes', limit: 0, depth: 0 })
    expect(new Set(scenes.docs.map((scene) => scene.production?.status))).toEqual(new Set(['approved', 'reviewing', 'failed']))
    for (const scene of scenes.docs) {
      expect(scene.script?.dialogue?.length, scene.title ?? '').toBeGreaterThan(0)
      expect(scene.script?.duration).toBeGreaterThan(0)
    }
    const media = await payload.find({ collection: 'media', limit: 0, depth: 0 })
    expect(media.docs.length).toBeGreaterThanOrEqual(7)
    for (const item of media.docs) {
      expect(item.mimeType).toBe('image/png')
      expect(item.width).toBe(480)
      expect(item.sizes?.thumbnail?.filename, item.filename ?? '').toEqual(expect.any(String))
    }
    expect((await payload.count({ collection: 'prompts-executed' })).totalDocs).toBe(2)
    const sessions = await payload.find({ collection: 'sessions', depth: 0 })
    expect(sessions.docs[0]).toMatchObject({ sessionState: 'active', awaitingUserInput: true })
  })

  it('shares the flagship with the writer only: each demo account sees its own world', async () => {
    const visible = async (email: string) => {
      const user = (await payload.find({ collection: 'users', where: { email: { equals: email } }, depth: 0 })).docs[0] as User
      return (await payload.find({ collection: 'projects', user, overrideAccess: false, depth: 0 })).docs.map((project) => project.title)
    }
    expect((await visible('producer@demo.test')).sort()).toEqual(['Neon Tide', 'Paper Moons', 'The Lighthouse Keeper'])
    expect(await visible('writer@demo.test')).toEqual(['The Lighthouse Keeper'])
    expect(await visible('outsider@demo.test')).toEqual([])
  })

  it('refuses a database that has users unless --force, and changes nothing', async () => {
    const before = (await payload.count({ collection: 'projects' })).totalDocs
    const again = await runScript('seed', [], env)
    expect(again.code).toBe(2)
    expect(again.stderr).toMatch(/already has 4 user\(s\).*--force/)
    expect((await payload.count({ collection: 'projects' })).totalDocs).toBe(before)
  })

  it('answers --help with 0 and a bad --scale with 2', async () => {
    const help = await runScript('seed', ['--help'], env)
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/--scale N/)
    const bad = await runScript('seed', ['--scale', 'lots'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--scale takes a whole number/)
  })

  it('--scale N builds N copies, each owned by a producer of its own', async () => {
    const databaseUrl = uniqueDatabaseUrl('seed-scale')
    const result = await runScript('seed', ['--scale', '2'], { DATABASE_URL: databaseUrl })
    expect(result.code, result.stderr).toBe(0)
    const connection = await mongoose.createConnection(databaseUrl).asPromise()
    try {
      const projects = await connection.db!.collection('projects').find({}).toArray()
      expect(projects).toHaveLength(6)
      expect(new Set(projects.map((project) => String(project.createdBy))).size).toBe(2)
      expect(await connection.db!.collection('users').countDocuments({ email: 'producer+1@demo.test', role: 'producer' })).toBe(1)
    } finally {
      await connection.dropDatabase()
      await connection.close()
    }
  }, 600_000)
})
