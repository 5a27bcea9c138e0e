import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { Scene, User } from '../../../src/payload-types'

import { clearFaults, pauseAt } from '../../../src/db/faultInjection'
import { ConflictError, NotFoundError, TextInputError } from '../../../src/errors'
import { IMPORT_TURNS } from '../../../src/records/importTurns'
import { projectEventService } from '../../../src/services/projectEventService'
import { screenplayService } from '../../../src/services/screenplayService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'
import { screenplayFixture } from '../../helpers/screenplays'

let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
let owner: User, stranger: User
const as = (user: User): Actor => ({ payload, user })
const fountain = screenplayFixture('the-last-ferry.fountain')
const fdx = screenplayFixture('the-last-ferry.fdx')

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('screenplay_service'))
  make = fixtures(payload)
  await make.user() // the first user is an admin
  owner = (await make.user({ role: 'producer' })) as User
  stranger = (await make.user()) as User
})
afterAll(async () => cleanup?.())
afterEach(() => clearFaults())

const newEpisode = async (data: Record<string, unknown> = {}) => {
  const project = await make.project(owner.id)
  const episode = await make.episode(project.id, 1, data)
  return { project, episode }
}

/** The scenes as a reader compares them: in order, characters by name. */
async function scenesOf(episodeId: string) {
  const { docs } = await payload.find({ collection: 'scenes', where: { episode: { equals: episodeId } }, sort: 'sceneNumber', limit: 0, depth: 1 })
  return (docs as Scene[]).map((scene) => ({
    sceneNumber: scene.sceneNumber,
    title: scene.title,
    location: scene.location,
    timeOfDay: scene.timeOfDay,
    action: scene.script?.action,
    dialogue: (scene.script?.dialogue ?? []).map((line) => [(line.character as { name: string }).name, line.lines, line.emotion ?? null]),
    characters: (scene.characters as { name: string }[]).map((character) => character.name).sort((x, y) => x.localeCompare(y)),
  }))
}
const countIn = async (collection: 'scenes' | 'characters', field: string, id: string) =>
  (await payload.count({ collection, where: { [field]: { equals: id } } })).totalDocs

const failure = async (promise: Promise<unknown>) => promise.then(() => undefined, (err: unknown) => err)

type ImportEvent = { type: string; episodeId: string; phase: string; done: number; total: number }

/** The `screenplay.import` events a member reads from the project's events stream (Server-Sent Events), as they come. */
async function watchImports(user: User, projectId: string) {
  const abort = new AbortController()
  const stream = await projectEventService.openEventStream({ actor: as(user), projectId, signal: abort.signal })
  const events: ImportEvent[] = []
  const reader = stream.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }))
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      const blocks = buffer.split('\n\n')
      buffer = blocks.pop()!
      for (const block of blocks) {
        if (!block.includes('event: screenplay.import')) continue
        events.push(JSON.parse(block.split('\n').find((line) => line.startsWith('data: '))!.slice('data: '.length)))
      }
    }
  })()
  return { events, close: () => abort.abort() }
}

describe('screenplayService.importScreenplay', () => {
  it('dry run answers what would be created and writes nothing', async () => {
    const { project, episode } = await newEpisode()
    await make.character(project.id, { name: 'Rosa' })
    const report = await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain, dryRun: true })
    expect(report.dryRun).toBe(true)
    expect(report.scenes.map((scene) => [scene.location, scene.timeOfDay, scene.dialogueLines])).toEqual([
      ['EXT. HARBOUR PIER', 'dawn', 1],
      ['INT. FERRY WHEELHOUSE', 'day', 4],
      ['EXT. FERRY DECK', 'dusk', 3],
      ['INT. CABIN BELOW DECK', 'night', 2],
      ['EXT. OPEN WATER', 'night', 0],
    ])
    expect(report.newCharacters).toEqual(['Teo', 'Marguerite', 'Eli'])
    expect(report.existingCharacters).toEqual(['Rosa'])
    expect(await countIn('scenes', 'episode', episode.id)).toBe(0)
    expect(await countIn('characters', 'project', project.id)).toBe(1)
  })

  it('imports Fountain and Final Draft into the same scenes; characters once, matched case-insensitively; script kept', async () => {
    const a = await newEpisode({ title: 'Pilot' })
    await make.character(a.project.id, { name: 'rosa' })
    const report = await screenplayService.importScreenplay({ actor: as(owner), episodeId: a.episode.id, format: 'fountain', text: fountain })
    expect(report.scenes.map((scene) => scene.sceneNumber)).toEqual([1, 2, 3, 4, 5])
    expect(report.newCharacters).toEqual(['Teo', 'Marguerite', 'Eli'])
    const characters = await payload.find({ collection: 'characters', where: { project: { equals: a.project.id } }, sort: 'name', limit: 0 })
    expect(characters.docs.map((character) => character.name)).toEqual(['Eli', 'Marguerite', 'Teo', 'rosa'])
    const episode = await payload.findByID({ collection: 'episodes', id: a.episode.id })
    expect(episode.script?.content).toBe(fountain.trim())
    expect(episode.script?.wordCount).toBeGreaterThan(100)
    expect(episode.title).toBe('Pilot') // not empty: kept
    expect(episode.synopsis?.logline).toMatch(/^A ferry pilot/) // empty: from the title page

    const b = await newEpisode()
    await screenplayService.importScreenplay({ actor: as(owner), episodeId: b.episode.id, format: 'fdx', text: fdx })
    const fromFountain = await scenesOf(a.episode.id)
    expect(fromFountain[1].dialogue[3]).toEqual(['rosa', 'I did say that.', 'beat'])
    const rename = (scenes: typeof fromFountain) =>
      JSON.parse(JSON.stringify(scenes).replace(/"rosa"/g, '"Rosa"')) as typeof fromFountain
    expect(rename(await scenesOf(b.episode.id))).toEqual(rename(fromFountain))
  })

  it('round trip: Fountain → import → export → import gives the same episode', async () => {
    const a = await newEpisode()
    await screenplayService.importScreenplay({ actor: as(owner), episodeId: a.episode.id, format: 'fountain', text: fountain })
    for (const format of ['fountain', 'fdx'] as const) {
      const exported = await screenplayService.exportScript({ actor: as(owner), episodeId: a.episode.id, format })
      expect(exported.filename).toBe(`episode-1-episode-1.${format}`)
      const b = await make.episode(a.project.id, format === 'fountain' ? 2 : 3)
      const report = await screenplayService.importScreenplay({ actor: as(owner), episodeId: b.id, format, text: exported.body })
      expect(report.newCharacters).toEqual([]) // the same characters, found by name
      expect(await scenesOf(b.id)).toEqual(await scenesOf(a.episode.id))
    }
  })

  it('refuses a second identical append (409) and appends after the episode\'s scenes otherwise', async () => {
    const { episode } = await newEpisode()
    await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain })
    const again = await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain }))
    expect(again).toBeInstanceOf(ConflictError)
    // The same screenplay as Final Draft: the same scenes.
    expect(await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fdx', text: fdx }))).toBeInstanceOf(ConflictError)
    expect(await countIn('scenes', 'episode', episode.id)).toBe(5)
    const forced = await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain, force: true })
    expect(forced.scenes.map((scene) => scene.sceneNumber)).toEqual([6, 7, 8, 9, 10])
  })

  it('replace refuses (409) while a scene to remove has generated media, unless force; then numbers 1..n', async () => {
    const { project, episode } = await newEpisode()
    await make.scene(project.id, episode.id, 1, { title: 'Old one' })
    const withMedia = await make.scene(project.id, episode.id, 2, { title: 'Old two' })
    await payload.create({
      collection: 'media',
      data: { project: project.id, episode: episode.id, scene: withMedia.id, mediaType: 'storyboard', status: 'active' } as never,
      file: { data: Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64'), mimetype: 'image/png', name: 'panel.png', size: 68 },
      overrideAccess: true,
    })
    const refused = await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain, mode: 'replace' }))
    expect(refused).toBeInstanceOf(ConflictError)
    expect((refused as ConflictError).details).toEqual({ scenes: [withMedia.id] })
    expect(await countIn('scenes', 'episode', episode.id)).toBe(2)

    const report = await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain, mode: 'replace', force: true })
    expect(report.removedScenes).toHaveLength(2)
    const scenes = await scenesOf(episode.id)
    expect(scenes.map((scene) => [scene.sceneNumber, scene.location])).toEqual([
      [1, 'EXT. HARBOUR PIER'],
      [2, 'INT. FERRY WHEELHOUSE'],
      [3, 'EXT. FERRY DECK'],
      [4, 'INT. CABIN BELOW DECK'],
      [5, 'EXT. OPEN WATER'],
    ])
    await payload.delete({ collection: 'media', where: { project: { equals: project.id } }, overrideAccess: true })
  })

  it('a write failing half-way leaves nothing behind: the scenes and characters written are undone (400 with the line)', async () => {
    const { project, episode } = await newEpisode()
    // The fourth scene's action is over the 10,000-character limit: three scenes and the characters are written first.
    const long = fountain.replace('A single bulb swings.', `A single bulb swings. ${'Very long. '.repeat(1000)}`)
    const err = await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: long }))
    expect(err).toBeInstanceOf(TextInputError)
    expect((err as TextInputError).line).toBe(56)
    expect((err as TextInputError).message).toMatch(/script\.action/)
    expect(await countIn('scenes', 'episode', episode.id)).toBe(0)
    expect(await countIn('characters', 'project', project.id)).toBe(0)
    const after = await payload.findByID({ collection: 'episodes', id: episode.id })
    expect(after.script?.content ?? null).toBeNull()
  })

  it('members see the import on the project events stream: done rising scene by scene to total, then the outcome', async () => {
    const { project, episode } = await newEpisode()
    const watch = await watchImports(owner, project.id)
    try {
      await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain })
      await vi.waitFor(() => expect(watch.events.at(-1)?.phase).toBe('completed'))
      expect(watch.events.map((event) => [event.phase, event.done, event.total])).toEqual([
        ['writing', 1, 5],
        ['writing', 2, 5],
        ['writing', 3, 5],
        ['writing', 4, 5],
        ['writing', 5, 5],
        ['completed', 5, 5],
      ])
      expect(watch.events.every((event) => event.episodeId === episode.id)).toBe(true)

      // A failure half-way (the fourth scene is refused): three written, then undone.
      const other = await make.episode(project.id, 2)
      const long = fountain.replace('A single bulb swings.', `A single bulb swings. ${'Very long. '.repeat(1000)}`)
      expect(await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: other.id, format: 'fountain', text: long, force: true }))).toBeInstanceOf(TextInputError)
      await vi.waitFor(() => expect(watch.events.at(-1)?.phase).toBe('undone'))
      expect(watch.events.filter((event) => event.episodeId === other.id).map((event) => [event.phase, event.done])).toEqual([
        ['writing', 1],
        ['writing', 2],
        ['writing', 3],
        ['undone', 3],
      ])
    } finally {
      watch.close()
    }
  })

  it('two concurrent identical appends: one imports, the other gets 409 while it runs and 409 as a duplicate after', async () => {
    const { episode } = await newEpisode()
    // The first import is held at its first scene write, inside the episode's import turn.
    const held = pauseAt({ collection: 'scenes', command: 'insertOne' })
    const first = screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain })
    await held.reached
    const second = await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain }))
    expect(second).toBeInstanceOf(ConflictError)
    expect((second as ConflictError).message).toMatch(/an import into this episode is running/i)
    held.release()
    expect((await first).scenes.map((scene) => scene.sceneNumber)).toEqual([1, 2, 3, 4, 5])
    // The turn was given back; the same append again is now the duplicate it is.
    const again = await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain }))
    expect((again as ConflictError).message).toMatch(/already in the episode/)
    expect(await countIn('scenes', 'episode', episode.id)).toBe(5)
    expect(await payload.db.connection.db!.collection(IMPORT_TURNS).countDocuments({ _id: episode.id as never })).toBe(0)
  })

  it('a turn left behind by an import that died is taken over once it has expired', async () => {
    const { episode } = await newEpisode()
    const turns = payload.db.connection.db!.collection<{ _id: string; holder: string; expiresAt: Date }>(IMPORT_TURNS)
    await turns.insertOne({ _id: episode.id, holder: 'running', expiresAt: new Date(Date.now() + 60_000) })
    expect(await failure(screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain }))).toBeInstanceOf(ConflictError)
    await turns.updateOne({ _id: episode.id }, { $set: { holder: 'dead', expiresAt: new Date(Date.now() - 1_000) } })
    const report = await screenplayService.importScreenplay({ actor: as(owner), episodeId: episode.id, format: 'fountain', text: fountain })
    expect(report.scenes).toHaveLength(5)
    expect(await turns.countDocuments({ _id: episode.id })).toBe(0)
  })

  it('a stranger gets 404 and nothing is written', async () => {
    const { episode } = await newEpisode()
    expect(await failure(screenplayService.importScreenplay({ actor: as(stranger), episodeId: episode.id, format: 'fountain', text: fountain }))).toBeInstanceOf(NotFoundError)
    expect(await failure(screenplayService.exportScript({ actor: as(stranger), episodeId: episode.id, format: 'fdx' }))).toBeInstanceOf(NotFoundError)
    expect(await countIn('scenes', 'episode', episode.id)).toBe(0)
  })
})
