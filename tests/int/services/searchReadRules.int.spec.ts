import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { searchSources, searchTypes } from '../../../src/search/searchSources'
import { slugs } from '../../../src/model/slugs'
import { searchService } from '../../../src/services/searchService'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 19 item 9: search applies each collection's read rule, for every kind of principal. For each of them and
 * each search type, every hit must be a document the same principal can read through the collection (Local API,
 * overrideAccess: false) — and a worker's key, which the matrix lets read no project, episode, scene or character,
 * finds none of them, only the media of projects with an open task.
 */
let payload: Payload
let cleanup: () => Promise<void>
const principals: Record<string, User & { _strategy?: string }> = {}
let project: string, other: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('search-read-rules'))
  const make = fixtures(payload)
  const admin = (await make.user({ role: 'admin' })) as User
  const owner = (await make.user()) as User
  const collaborator = (await make.user()) as User
  const stranger = (await make.user()) as User
  const keyOwner = (await make.user({ role: 'admin', enableAPIKey: true, apiKey: 'search-rules-key-00001' })) as User
  const as = (user: User, strategy = 'local-jwt') => ({ ...user, collection: 'users', _strategy: strategy }) as User & { _strategy: string }
  Object.assign(principals, { admin: as(admin), owner: as(owner), collaborator: as(collaborator), stranger: as(stranger), worker: as(keyOwner, 'api-key') })
  project = String((await make.project(owner.id, { title: 'Saltmarsh lantern', description: 'lantern story', collaborators: [collaborator.id] })).id)
  other = String((await make.project(stranger.id, { title: 'Other lantern', description: 'lantern elsewhere' })).id)
  for (const p of [project, other]) {
    const episode = await make.episode(p, 1, { title: 'Lantern night' })
    await make.scene(p, String(episode.id), 1, { title: 'Lantern scene' })
    await make.character(p, { name: 'Lantern keeper' })
    await payload.create({ collection: slugs.media, data: { project: p, mediaType: 'concept_art', alt: 'lantern sketch' } as never, file: await pngFile(8, 8, `lantern-${p}.png`) })
  }
  // An open task in `project`: the worker may read that project's media (readMedia), nothing else.
  await payload.create({ collection: slugs.tasks, data: { project, taskType: 'image_generation' } as never })
})
afterAll(async () => {
  const media = await payload?.find({ collection: slugs.media, pagination: false, depth: 0 })
  for (const doc of media?.docs ?? []) await payload.delete({ collection: slugs.media, id: doc.id })
  await cleanup?.()
})

describe('search under the collections’ read rules', () => {
  it.each(['admin', 'owner', 'collaborator', 'stranger', 'worker'])('%s: every hit is readable through its collection', async (who) => {
    const user = principals[who]!
    for (const type of searchTypes) {
      const page = await searchService.search({ actor: { payload, user }, q: 'lantern', types: type, limit: 50 })
      const readable = await (payload as any)
        .find({ collection: searchSources[type].collection, user, overrideAccess: false, pagination: false, depth: 0 })
        .then((found: any) => new Set<string>(found.docs.map((doc: any) => String(doc.id))))
        .catch(() => new Set<string>()) // a 403: the principal reads nothing of the collection
      for (const hit of page.docs) expect(readable.has(hit.id), `${who} found ${type} ${hit.id}`).toBe(true)
      if (who === 'worker' && type !== 'media') expect(page.docs, `worker ${type}`).toEqual([])
      if (who === 'admin') expect(page.docs.length, `admin ${type}`).toBeGreaterThanOrEqual(2)
      if (who === 'owner') expect(page.docs.map((hit) => hit.project)).toEqual(page.docs.map(() => project))
    }
  })

  it('a worker finds the media of projects with an open task, not their project, episodes, scenes or characters', async () => {
    const page = await searchService.search({ actor: { payload, user: principals.worker! }, q: 'lantern', limit: 50 })
    expect(page.docs.map((hit) => hit.type)).toEqual(['media'])
    expect(page.docs[0]!.project).toBe(project)
    expect(page.docs.some((hit) => hit.project === other)).toBe(false)
  })
})
