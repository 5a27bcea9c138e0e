import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { uniqueDatabaseUrl } from '../../helpers/database'
import { runScript } from '../../helpers/runScript'

/**
 * `npm run migrate` as ops run it, on a fresh database holding legacy documents: a dry run writes nothing,
 * `migrate` leaves every declared index in place (`db:indexes` exits 0 straight after), `migrate:down` reverses it.
 */
const databaseUrl = uniqueDatabaseUrl('migrate-script')
const env = { DATABASE_URL: databaseUrl }
let connection: mongoose.Connection
const projectId = new mongoose.Types.ObjectId()
beforeAll(async () => {
  connection = await mongoose.createConnection(databaseUrl).asPromise()
  const db = connection.db!
  await db.collection('projects').insertOne({
    _id: projectId,
    title: 'Legacy',
    createdBy: new mongoose.Types.ObjectId(),
    episodes: [{ episodeNumber: 1, title: 'Pilot' }, { episodeNumber: 1, title: 'Pilot again' }],
  })
  await db.collection('media').insertOne({ filename: 'a.png', mediaType: 'concept_art', project: String(projectId) })
  // A database of the previous release: media unique on filename, scenes unique on (episode, sceneNumber), one
  // legacy scene without a project.
  await db.collection('media').createIndex({ filename: 1 }, { unique: true })
  await db.collection('scenes').createIndex({ episode: 1, sceneNumber: 1 }, { unique: true })
  await db.collection('scenes').insertMany([
    { project: projectId, episode: new mongoose.Types.ObjectId(), sceneNumber: 1 },
    { _id: orphanScene, episode: new mongoose.Types.ObjectId(), sceneNumber: 1 },
  ])
})
const orphanScene = new mongoose.Types.ObjectId()
const uniqueKeys = async (collection: string) =>
  (await connection.db!.collection(collection).listIndexes().toArray()).filter((index) => index.unique).map((index) => Object.keys(index.key).join(','))
afterAll(async () => {
  await connection?.dropDatabase()
  await connection?.close()
})

describe('npm run migrate', () => {
  it('explains itself and refuses unknown commands', async () => {
    const help = await runScript('migrate', ['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/--dry-run/)
    const wrong = await runScript('migrate', ['sideways'])
    expect(wrong.code).toBe(2)
  })

  it('dry-runs, migrates to a complete database, and goes back down', async () => {
    const dry = await runScript('migrate', ['--dry-run'], env)
    expect(dry.code, dry.stderr + dry.stdout).toBe(0)
    expect(dry.stdout).toMatch(/media\.project → ObjectId: 1 document\(s\) would change/)
    expect(dry.stdout).toMatch(/projects\.episodes → episodes: 2 document\(s\) would change/)
    expect(dry.stdout).toMatch(/duplicate episode number/)
    // The build may be done already: the app builds its declared indexes on start, the dry run's included.
    expect(dry.stdout).toMatch(/scenes unique \(episode, sceneNumber\) → unique \(project, episode, sceneNumber\) \(index builds and drops\): [12] /)
    expect(dry.stdout).toContain(`scenes ${String(orphanScene)}: no project`)
    expect(dry.stdout).toMatch(/media unique \(filename\) → \(filename\) \(index builds and drops\): 2 /)
    const db = connection.db!
    expect(await db.collection('payload-migrations').countDocuments()).toBe(0)
    expect(typeof (await db.collection('media').findOne({}))!.project).toBe('string')

    const up = await runScript('migrate', [], env)
    expect(up.code, up.stderr + up.stdout).toBe(0)
    const indexes = await runScript('db-indexes', [], env)
    expect(indexes.code, indexes.stdout + indexes.stderr).toBe(0)
    expect(indexes.stdout).not.toMatch(/MISSING/)
    expect(await uniqueKeys('scenes')).toContain('project,episode,sceneNumber')
    expect(await uniqueKeys('scenes')).not.toContain('episode,sceneNumber')
    expect((await uniqueKeys('media')).filter((key) => key !== '_id')).toEqual([])
    expect(await db.collection('unique-claims').findOne({ _id: 'media.filename:a.png' as never })).not.toBeNull()
    const again = await runScript('migrate', ['--dry-run'], env)
    expect(again.stdout).toMatch(/no migration to run up/)
    expect((await db.collection('media').findOne({}))!.project).toBeInstanceOf(mongoose.Types.ObjectId)
    expect(await db.collection('episodes').countDocuments({ project: projectId })).toBe(1)

    const downDry = await runScript('migrate', ['down', '--dry-run'], env)
    expect(downDry.stdout).toMatch(/episodes → projects\.episodes: 2 document\(s\) would change/)

    const unconfirmed = await runScript('migrate', ['down'], env)
    expect(unconfirmed.code).toBe(2) // no terminal, no --yes: nothing reversed
    expect(unconfirmed.stderr).toMatch(/pass --yes/)
    const down = await runScript('migrate', ['down', '--yes'], env)
    expect(down.code, down.stderr + down.stdout).toBe(0)
    expect(await db.collection('episodes').countDocuments({ project: projectId })).toBe(0)
    expect((await db.collection('projects').findOne({ _id: projectId }))!.episodes).toHaveLength(2)
    expect(typeof (await db.collection('media').findOne({}))!.project).toBe('string')
    expect(await uniqueKeys('scenes')).toContain('episode,sceneNumber')
    expect(await uniqueKeys('scenes')).not.toContain('project,episode,sceneNumber')
    expect(await uniqueKeys('media')).toContain('filename')
    expect(await db.collection('unique-claims').countDocuments()).toBe(0)
    expect(await db.collection('payload-migrations').countDocuments({ batch: { $ne: -1 } })).toBe(0)
  }, 1_500_000)
})
