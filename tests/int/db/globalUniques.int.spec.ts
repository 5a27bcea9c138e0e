import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { UNIQUE_CLAIMS } from '../../../src/db/globalUniques'
import { expectFieldErrors } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { wavFile } from '../../helpers/mediaFiles'
import { createTestPayload } from '../../helpers/payload'

/**
 * Media filenames stay unique across projects without a unique index (media is sharded by project, and MongoDB
 * keeps only unique indexes that start with the shard key): claims in `unique-claims` guard them.
 */
let payload: Payload
let cleanup: () => Promise<void>
let projects: string[]
beforeAll(async () => {
  delete process.env.S3_BUCKET
  ;({ payload, cleanup } = await createTestPayload('global-uniques'))
  const f = fixtures(payload)
  const userId = (await f.user()).id
  projects = [(await f.project(userId)).id, (await f.project(userId)).id]
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

const claims = () => payload.db.connection.db!.collection<{ _id: string; claimedAt: Date; holder?: string }>(UNIQUE_CLAIMS)
/** The adapter write alone, past Payload's name-taken check: what decides when two uploads race. */
const rawCreate = (filename: string, project: string) =>
  payload.db.create({ collection: 'media', data: { filename, project, mediaType: 'audio_clip', status: 'active' } })
const upload = (project: string, name: string) =>
  payload.create({ collection: 'media', data: { mediaType: 'audio_clip', project } as never, file: wavFile({ name }) })

describe('media filenames', () => {
  it('have no unique index besides _id, so the collection can be sharded by project', async () => {
    await payload.db.collections.media.init()
    const indexes = await payload.db.collections.media.collection.listIndexes().toArray()
    expect(indexes.filter((index) => index.unique && index.name !== '_id_')).toEqual([])
    expect(indexes.map((index) => Object.keys(index.key).join(','))).toContain('filename')
  })

  it('are refused on the filename field when another project holds the name', async () => {
    const held = await rawCreate('shared-name.wav', projects[0])
    await expectFieldErrors(rawCreate('shared-name.wav', projects[1]), ['filename'])
    await expectFieldErrors(rawCreate('shared-name.wav', projects[0]), ['filename'])
    expect(await claims().findOne({ _id: 'media.filename:shared-name.wav' })).toMatchObject({ holder: String(held.id) })
    expect(await payload.count({ collection: 'media', where: { filename: { equals: 'shared-name.wav' } } })).toMatchObject({ totalDocs: 1 })
  })

  it('are each their own when uploads of one name race across projects, and free again once deleted', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => upload(projects[i % 2], 'take.wav')))
    const created = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []))
    expect(created.length).toBeGreaterThan(0)
    expect(new Set(created.map((media) => media.filename)).size).toBe(created.length)
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') await expectFieldErrors(Promise.reject(outcome.reason), ['filename'])
    }
    for (const media of created) expect(await claims().findOne({ _id: `media.filename:${media.filename}` })).toMatchObject({ holder: String(media.id) })

    // An update keeping its own file passes; a deleted medium gives its name back.
    await payload.update({ collection: 'media', id: created[0].id, data: { alt: 'kept' } })
    await payload.delete({ collection: 'media', id: created[0].id })
    expect(await claims().findOne({ _id: `media.filename:${created[0].filename}` })).toBeNull()
    await expect(rawCreate(created[0].filename!, projects[1])).resolves.toMatchObject({ filename: created[0].filename })
  })

  it('take over a claim whose write never happened once it is old, and not before', async () => {
    await claims().insertOne({ _id: 'media.filename:ghost.wav', claimedAt: new Date(Date.now() - 60_000) })
    await expect(rawCreate('ghost.wav', projects[0])).resolves.toMatchObject({ filename: 'ghost.wav' })
    await claims().insertOne({ _id: 'media.filename:in-flight.wav', claimedAt: new Date() })
    await expectFieldErrors(rawCreate('in-flight.wav', projects[0]), ['filename'])
  })
})
