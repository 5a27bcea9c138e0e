import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import * as phase1 from '../../../../migrations/20261128_000001_project_references'
import * as phase2 from '../../../../migrations/20261128_000002_episodes_from_projects'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/** The data design's migration phases, run on legacy documents written straight into the raw collections. */
let payload: Payload
let cleanup: () => Promise<void>
let userId: string
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('migrations'))
  userId = (await fixtures(payload).user()).id
})
afterAll(async () => cleanup?.())

const raw = (slug: 'media' | 'sessions' | 'projects' | 'episodes') => payload.db.collections[slug].collection
const args = () => ({ payload, req: {} as never, session: undefined })

describe('phase 1: project references become ObjectIds', () => {
  it('converts text ids of existing projects, leaves unknown ones and reverses on down', async () => {
    const project = await fixtures(payload).project(userId)
    const { insertedIds } = await raw('media').insertMany([
      { filename: 'a.png', mediaType: 'concept_art', project: project.id },
      { filename: 'b.png', mediaType: 'concept_art', project: 'not-a-project' },
    ])
    const session = await raw('sessions').insertOne({ user: new mongoose.Types.ObjectId(userId), project: project.id })

    await phase1.up(args())
    const [converted, unknown] = await Promise.all([
      raw('media').findOne({ _id: insertedIds[0] }),
      raw('media').findOne({ _id: insertedIds[1] }),
    ])
    expect(converted!.project).toBeInstanceOf(mongoose.Types.ObjectId)
    expect(String(converted!.project)).toBe(project.id)
    expect(unknown!.project).toBe('not-a-project')
    expect((await raw('sessions').findOne({ _id: session.insertedId }))!.project).toBeInstanceOf(mongoose.Types.ObjectId)

    // Now Payload resolves the reference: the converted media is found by its project.
    const byProject = await payload.find({ collection: 'media', where: { project: { equals: project.id } } })
    expect(byProject.docs.map((doc) => doc.id)).toContain(String(insertedIds[0]))

    await phase1.up(args()) // a re-run changes nothing
    expect(String((await raw('media').findOne({ _id: insertedIds[0] }))!.project)).toBe(project.id)

    await phase1.down(args())
    expect((await raw('media').findOne({ _id: insertedIds[0] }))!.project).toBe(project.id)
    expect((await raw('sessions').findOne({ _id: session.insertedId }))!.project).toBe(project.id)
  })
})

describe('phase 2: embedded episodes move to the Episodes collection', () => {
  it('creates one episode per entry, keeps the legacy array, and is safe to re-run and reverse', async () => {
    const { insertedId } = await raw('projects').insertOne({
      title: 'Legacy show',
      createdBy: new mongoose.Types.ObjectId(userId),
      status: 'production',
      episodeCount: 1,
      episodes: [
        { episodeNumber: 1, title: 'Pilot', status: 'completed' },
        { title: 'Untitled second', status: 'not-a-status' },
        { episodeNumber: 3, title: 'Finale', description: 'The end' },
      ],
    })
    const projectId = String(insertedId)

    await phase2.up(args())
    const found = await payload.find({ collection: 'episodes', where: { project: { equals: projectId } }, sort: 'episodeNumber' })
    expect(found.docs.map((episode) => [episode.episodeNumber, episode.title, episode.status])).toEqual([
      [1, 'Pilot', 'completed'],
      [2, 'Untitled second', 'planning'],
      [3, 'Finale', 'planning'],
    ])
    const project = await raw('projects').findOne({ _id: insertedId })
    expect(project!.episodes).toBeUndefined()
    expect(project!.legacyEpisodes).toHaveLength(3)
    expect(project!.episodeCount).toBe(3)

    // Re-run after restoring the array: the unique index keeps one episode per number.
    await raw('projects').updateOne({ _id: insertedId }, { $rename: { legacyEpisodes: 'episodes' } })
    await phase2.up(args())
    expect((await payload.count({ collection: 'episodes', where: { project: { equals: projectId } } })).totalDocs).toBe(3)

    await phase2.down(args())
    expect((await raw('projects').findOne({ _id: insertedId }))!.episodes).toHaveLength(3)
    expect((await payload.count({ collection: 'episodes', where: { project: { equals: projectId } } })).totalDocs).toBe(0)
  })
})
