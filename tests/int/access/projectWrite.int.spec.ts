import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { slugs } from '../../../src/model/slugs'
import { rejection } from '../../helpers/errors'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

/**
 * The project a write lands in — given or derived from an episode, scene or character — is decided after the
 * derivation, on create and update, for every project-scoped collection (issue 9 class 1, issue 13).
 */
let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
const as = (user: any, strategy = 'local-jwt') => ({ user: { ...user, collection: 'users', _strategy: strategy }, overrideAccess: false as const })

let admin: any, owner: any, collaborator: any, stranger: any
let X: string, Y: string, episodeX: string, sceneX: string, characterX: string, episodeY: string, characterY: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('project-write'))
  f = fixtures(payload)
  admin = await f.user({ role: 'admin' })
  owner = await f.user({ subscription: { tier: 'pro' } })
  collaborator = await f.user()
  stranger = await f.user()
  X = String((await f.project(owner.id, { collaborators: [collaborator.id] })).id)
  Y = String((await f.project(stranger.id)).id)
  episodeX = String((await f.episode(X, 1)).id)
  sceneX = String((await f.scene(X, episodeX, 1)).id)
  characterX = String((await f.character(X)).id)
  episodeY = String((await f.episode(Y, 1)).id)
  characterY = String((await f.character(Y)).id)
})
afterAll(async () => {
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

const count = async (collection: string, where: Record<string, unknown> = {}) =>
  (await payload.count({ collection: collection as never, where: where as never })).totalDocs

describe('creating without a project: derived, then checked', () => {
  it.each(['owner', 'collaborator'] as const)('the %s creates a scene with only its episode', async (who) => {
    const user = who === 'owner' ? owner : collaborator
    const scene = await loose(payload).create({ collection: slugs.scenes, data: { episode: episodeX, title: `by ${who}` }, depth: 0, ...as(user) })
    expect(String(scene.project)).toBe(X)
    expect(scene.sceneNumber).toBeGreaterThan(1)
  })

  it("a stranger's scene in another person's episode is refused (403) and nothing is stored", async () => {
    const before = await count(slugs.scenes, { project: { equals: X } })
    const error = await rejection(loose(payload).create({ collection: slugs.scenes, data: { episode: episodeX, title: 'intruder' }, ...as(stranger) }))
    expect(error.status).toBe(403)
    expect(await count(slugs.scenes, { project: { equals: X } })).toBe(before)
  })

  it('a missing episode answers exactly like an episode the caller may not write into', async () => {
    const foreign = await rejection(loose(payload).create({ collection: slugs.scenes, data: { episode: episodeX }, ...as(stranger) }))
    const missing = await rejection(loose(payload).create({ collection: slugs.scenes, data: { episode: '64b7f0f0f0f0f0f0f0f0f0f0' }, ...as(stranger) }))
    expect([missing.status, missing.message]).toEqual([foreign.status, foreign.message])
  })

  it.each(['episode', 'scene', 'character'] as const)("a stranger's upload naming only the %s of another project is refused", async (field) => {
    const parent = { episode: episodeX, scene: sceneX, character: characterX }[field]
    const before = await count(slugs.media, { project: { equals: X } })
    const error = await rejection(
      loose(payload).create({ collection: slugs.media, data: { mediaType: 'concept_art', [field]: parent }, file: await pngFile(), ...as(stranger) }),
    )
    expect(error.status).toBe(403)
    expect(await count(slugs.media, { project: { equals: X } })).toBe(before)
  })

  it.each(['episode', 'scene', 'character'] as const)('a member uploads media naming only the %s: it lands in that project', async (field) => {
    const parent = { episode: episodeX, scene: sceneX, character: characterX }[field]
    const data = { mediaType: 'concept_art', [field]: parent, ...(field === 'scene' ? { episode: episodeX } : {}) }
    const medium = await loose(payload).create({ collection: slugs.media, data, file: await pngFile(), depth: 0, ...as(collaborator) })
    expect(String(medium.project)).toBe(X)
  })
})

describe('updates cannot move a document into a project the caller may not write into', () => {
  it.each(['episode', 'scene', 'character'] as const)("the stranger's own media cannot be moved into X by setting its %s", async (field) => {
    const parent = { episode: episodeX, scene: sceneX, character: characterX }[field]
    const mine = await loose(payload).create({ collection: slugs.media, data: { mediaType: 'concept_art' }, file: await pngFile(), depth: 0, ...as(stranger) })
    const error = await rejection(loose(payload).update({ collection: slugs.media, id: mine.id, data: { [field]: parent }, ...as(stranger) }))
    expect(error.status).toBe(403)
    const stored = await payload.findByID({ collection: slugs.media, id: mine.id, depth: 0 })
    expect(stored.project ?? null).toBeNull()
  })

  it.each([slugs.episodes, slugs.characters, slugs.scenes, slugs.tasks, slugs.sessions] as const)(
    "the stranger's %s cannot be moved into X",
    async (collection) => {
      const data: Record<string, unknown> = {
        [slugs.episodes]: { project: Y, title: 'Mine' },
        [slugs.characters]: { project: Y, name: 'Mine' },
        [slugs.scenes]: { project: Y, episode: episodeY },
        [slugs.tasks]: { project: Y, taskType: 'script_generation' },
        [slugs.sessions]: { project: Y, currentStep: 'start' },
      }[collection]!
      const doc = await loose(payload).create({ collection, data, depth: 0, ...as(stranger) })
      const error = await rejection(loose(payload).update({ collection, id: doc.id, data: { project: X }, ...as(stranger) }))
      expect(error.status).toBe(403)
      const stored = (await payload.findByID({ collection: collection as never, id: doc.id, depth: 0 })) as { project?: unknown }
      expect(String(stored.project)).toBe(Y)
    },
  )

  it('the admin permission probe (create with no data, or only a draft status) lets members open the create form', async () => {
    const { getAccessResults } = await import('payload')
    const req = { payload, user: { ...owner, collection: 'users', _strategy: 'local-jwt' }, context: {} } as any
    const permissions = await getAccessResults({ req })
    for (const collection of [slugs.episodes, slugs.scenes, slugs.characters, slugs.media, slugs.tasks, slugs.sessions]) {
      expect(permissions.collections?.[collection]?.create, collection).toBe(true)
    }
  })
})

describe('duplicates (the admin Duplicate)', () => {
  it.each([
    ['owner', () => owner],
    ['collaborator', () => collaborator],
    ['admin', () => admin],
  ] as const)('the %s duplicates a scene: the copy gets the next number and the initial status', async (_who, user) => {
    const episode = await loose(payload).create({ collection: slugs.episodes, data: { project: X, title: 'Dup' }, depth: 0 })
    const source = await f.scene(X, String(episode.id), 1, { production: { status: 'approved' } })
    const copy = await loose(payload).duplicate({ collection: slugs.scenes, id: source.id, depth: 0, ...as(user()) })
    expect(copy.sceneNumber).toBe(2)
    expect(copy.production?.status).toBe('pending')
  })

  it('an owner duplicates an episode (next number) and a character', async () => {
    const episode = await loose(payload).duplicate({ collection: slugs.episodes, id: episodeX, depth: 0, ...as(owner) })
    expect(String(episode.project)).toBe(X)
    expect(episode.episodeNumber).toBeGreaterThan(1)
    const character = await loose(payload).duplicate({ collection: slugs.characters, id: characterX, depth: 0, ...as(owner) })
    expect(String(character.project)).toBe(X)
  })

  it.each([slugs.scenes, slugs.episodes, slugs.characters] as const)('a stranger cannot duplicate the %s of another project', async (collection) => {
    const id = { [slugs.scenes]: sceneX, [slugs.episodes]: episodeX, [slugs.characters]: characterX }[collection]
    const before = await count(collection, { project: { equals: X } })
    const error = await rejection(loose(payload).duplicate({ collection, id, ...as(stranger) }))
    expect([403, 404]).toContain(error.status)
    expect(await count(collection, { project: { equals: X } })).toBe(before)
  })
})

describe('consistency errors reveal nothing of other projects', () => {
  it('a reference to another project reads like a missing document and never names that project', async () => {
    const foreign = await rejection(
      loose(payload).create({ collection: slugs.scenes, data: { project: X, episode: episodeX, characters: [characterY] }, ...as(owner) }),
    )
    const missing = await rejection(
      loose(payload).create({ collection: slugs.scenes, data: { project: X, episode: episodeX, characters: ['64b7f0f0f0f0f0f0f0f0f0f0'] }, ...as(owner) }),
    )
    expect(foreign.status).toBe(400)
    expect(JSON.stringify(foreign)).not.toContain(Y)
    const messageOf = (error: any, id: string) => error.data.errors[0].message.replace(id, '<id>')
    expect(messageOf(foreign, characterY)).toBe(messageOf(missing, '64b7f0f0f0f0f0f0f0f0f0f0'))
  })

  it.each([slugs.media, slugs.scenes] as const)('%s: an episode of another project is refused without naming the project', async (collection) => {
    const data = collection === slugs.media ? { project: X, mediaType: 'concept_art', episode: episodeY } : { project: X, episode: episodeY }
    const error = await rejection(
      loose(payload).create({ collection, data, ...(collection === slugs.media ? { file: await pngFile() } : {}), ...as(owner) }),
    )
    expect(error.status).toBe(400)
    expect(JSON.stringify(error.data)).not.toContain(Y)
  })
})
