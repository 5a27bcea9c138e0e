import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { recomputeEpisodeProduction } from '../../../src/records/derivedFigures'
import { sceneService } from '../../../src/services/sceneService'
import type { User } from '../../../src/payload-types'
import { WORDS_PER_MINUTE } from '../../../src/domain/scriptMetrics'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let userId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('derived-figures'))
  f = fixtures(payload)
  userId = (await f.user()).id
})
afterAll(async () => cleanup?.())

const production = async (episodeId: string) =>
  (await payload.findByID({ collection: 'episodes', id: episodeId, depth: 0 })).production
const setStatus = (id: string, status: 'generating' | 'reviewing' | 'approved' | 'failed' | 'pending') =>
  payload.update({ collection: 'scenes', id, data: { production: { status } } })

describe('episode script figures', () => {
  it('follow the script text and ignore values sent for them', async () => {
    const project = await f.project(userId)
    const words = Array.from({ length: 300 }, (_, i) => `word${i}`).join(' \n ')
    const episode = await f.episode(project.id, 1, { script: { content: words, wordCount: 5, estimatedDuration: 9 } })
    expect(episode.script).toMatchObject({ wordCount: 300, estimatedDuration: Math.round((300 / WORDS_PER_MINUTE) * 60) })
    const edited = await payload.update({
      collection: 'episodes',
      id: episode.id,
      data: { script: { content: 'INT. KITCHEN - NIGHT. She waits.' } },
    })
    expect(edited.script).toMatchObject({ wordCount: 6, estimatedDuration: 2 })
    const retitled = await payload.update({ collection: 'episodes', id: episode.id, data: { title: 'Renamed', script: { wordCount: 1 } } })
    expect(retitled.script?.wordCount).toBe(6)
  })
})

describe('scene duration', () => {
  it('is the sum of the dialogue timings when not given, and the given value otherwise', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const timed = await f.scene(project.id, episode.id, 1, {
      script: { dialogue: [{ lines: 'a', timing: 4 }, { lines: 'b', timing: 6.5 }, { lines: 'c' }] },
    })
    expect(timed.script?.duration).toBe(10.5)
    const more = await payload.update({
      collection: 'scenes',
      id: timed.id,
      data: { script: { dialogue: [{ lines: 'a', timing: 4 }, { lines: 'b', timing: 2 }] } },
    })
    expect(more.script?.duration).toBe(6)

    const given = await f.scene(project.id, episode.id, 2, { script: { duration: 90, dialogue: [{ lines: 'a', timing: 4 }] } })
    expect(given.script?.duration).toBe(90)
    const edited = await payload.update({
      collection: 'scenes',
      id: given.id,
      data: { script: { dialogue: [{ lines: 'a', timing: 4 }, { lines: 'b', timing: 5 }] } },
    })
    expect(edited.script?.duration).toBe(90)
    // Clearing the given value goes back to the dialogue.
    const cleared = await payload.update({ collection: 'scenes', id: given.id, data: { script: { duration: null } } })
    expect(cleared.script?.duration).toBe(9)
  })
})

describe('episode production figures', () => {
  it('count the scenes, the approved ones and the rendered share, through creates, moves and deletes', async () => {
    const project = await f.project(userId)
    const one = await f.episode(project.id, 1)
    const two = await f.episode(project.id, 2)
    expect(await production(one.id)).toMatchObject({ sceneCount: 0, completedScenes: 0, renderProgress: 0 })
    const scenes = []
    for (let n = 1; n <= 4; n++) scenes.push(await f.scene(project.id, one.id, n))
    expect(await production(one.id)).toMatchObject({ sceneCount: 4, completedScenes: 0, renderProgress: 0 })

    await setStatus(scenes[0].id, 'generating')
    await setStatus(scenes[0].id, 'reviewing') // rendered, not yet approved
    expect(await production(one.id)).toMatchObject({ sceneCount: 4, completedScenes: 0, renderProgress: 25 })
    await setStatus(scenes[0].id, 'approved')
    expect(await production(one.id)).toMatchObject({ sceneCount: 4, completedScenes: 1, renderProgress: 25 })

    await payload.update({ collection: 'scenes', id: scenes[0].id, data: { episode: two.id } })
    expect(await production(one.id)).toMatchObject({ sceneCount: 3, completedScenes: 0, renderProgress: 0 })
    expect(await production(two.id)).toMatchObject({ sceneCount: 1, completedScenes: 1, renderProgress: 100 })

    await payload.delete({ collection: 'scenes', id: scenes[1].id })
    expect(await production(one.id)).toMatchObject({ sceneCount: 2 })
  })

  it("stay exact through a producer's scene writes over the service: numbered in order, recounted on what they count, one audit entry per write", async () => {
    // The cheap write path (one grouped count, no recount on a retitle, no re-count of a just-reserved number, no
    // population on delete) must keep every figure, number and audit entry a producer sees.
    const producer = (await f.user({ role: 'producer' })) as User
    const actor = { payload, user: producer }
    const project = await f.project(producer.id)
    const episode = await f.episode(project.id, 1, { status: 'production' })
    const progress = async () => (await payload.findByID({ collection: 'projects', id: project.id, depth: 0 })).progress?.overallProgress ?? 0
    const created: { id: string; sceneNumber?: number | null }[] = []
    for (let n = 0; n < 3; n++) created.push(await sceneService.create({ actor, data: { project: project.id, episode: episode.id, title: `S${n}` } }))
    expect(created.map((scene) => scene.sceneNumber)).toEqual([1, 2, 3])
    await expect(sceneService.create({ actor, data: { project: project.id, episode: episode.id, sceneNumber: 2, title: 'Taken' } })).rejects.toThrow(/Scene Number/)
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3, completedScenes: 0, renderProgress: 0 })

    // An update keeping its number is not re-counted; one taking a held number, or moving into an episode where its
    // number is held, still is.
    await expect(sceneService.update({ actor, id: created[1].id, data: { sceneNumber: 1 } })).rejects.toThrow(/Scene Number/)
    const other = await f.episode(project.id, 2)
    const held = await sceneService.create({ actor, data: { project: project.id, episode: other.id, title: 'Held' } })
    expect(held.sceneNumber).toBe(1)
    await expect(payload.update({ collection: 'scenes', id: created[0].id, data: { episode: other.id }, user: producer, overrideAccess: false })).rejects.toThrow(/Scene Number/)
    await sceneService.delete({ actor, id: held.id })
    const retitled = await sceneService.update({ actor, id: created[0].id, data: { title: 'Renamed' } })
    expect(retitled.title).toBe('Renamed')
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3, completedScenes: 0, renderProgress: 0 })
    const atNone = await progress()
    await setStatus(created[0].id, 'generating')
    await setStatus(created[0].id, 'reviewing')
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3, renderProgress: 33 })
    const atThird = await progress()
    expect(atThird).toBeGreaterThan(atNone)
    await sceneService.update({ actor, id: created[0].id, data: { title: 'Renamed again' } })
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3, renderProgress: 33 })
    expect(await progress()).toBe(atThird)

    // A delete and a create move the render share, and the project's progress with it.
    await sceneService.delete({ actor, id: created[2].id })
    expect(await production(episode.id)).toMatchObject({ sceneCount: 2, completedScenes: 0, renderProgress: 50 })
    expect(await progress()).toBeGreaterThan(atThird)
    const late = await sceneService.create({ actor, data: { project: project.id, episode: episode.id, title: 'Late' } })
    expect(late.sceneNumber).toBe(4)
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3, renderProgress: 33 })
    expect(await progress()).toBe(atThird)

    const audit = await payload.find({ collection: 'audit-log', where: { documentId: { in: created.map((scene) => scene.id) } }, pagination: false, depth: 0 })
    const operations = (audit.docs as unknown as { operation: string; documentId: string }[]).map((entry) => `${entry.operation}:${created.findIndex((scene) => scene.id === entry.documentId)}`)
    expect(operations.filter((entry) => entry.startsWith('create')).sort()).toEqual(['create:0', 'create:1', 'create:2'])
    expect(operations.filter((entry) => entry.startsWith('delete'))).toEqual(['delete:2'])
    expect(operations.filter((entry) => entry === 'update:0').length).toBeGreaterThanOrEqual(2)
  })

  it('are read-only for callers', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1, { production: { sceneCount: 99, completedScenes: 5, renderProgress: 80 } })
    expect(episode.production).toMatchObject({ sceneCount: 0, completedScenes: 0, renderProgress: 0 })
    await f.scene(project.id, episode.id, 1)
    const updated = await payload.update({ collection: 'episodes', id: episode.id, data: { production: { sceneCount: 7 } } })
    expect(updated.production?.sceneCount).toBe(1)
    expect(await production(episode.id)).toMatchObject({ sceneCount: 1 })
  })

  it('end right when 20 scenes of one episode are created and changed concurrently', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scenes = await Promise.all(Array.from({ length: 20 }, (_, i) => f.scene(project.id, episode.id, i + 1)))
    expect(await production(episode.id)).toMatchObject({ sceneCount: 20, completedScenes: 0, renderProgress: 0 })

    await Promise.all(scenes.map((scene) => setStatus(scene.id, 'generating')))
    await Promise.all(scenes.map((scene) => setStatus(scene.id, 'reviewing')))
    expect(await production(episode.id)).toMatchObject({ sceneCount: 20, completedScenes: 0, renderProgress: 100 })
    // 13 approved, 7 failed, all at once
    await Promise.all(scenes.map((scene, i) => setStatus(scene.id, i < 13 ? 'approved' : 'failed')))
    expect(await production(episode.id)).toMatchObject({ sceneCount: 20, completedScenes: 13, renderProgress: 65 })
    // and the source agrees
    const approved = await payload.count({
      collection: 'scenes',
      where: { episode: { equals: episode.id }, 'production.status': { equals: 'approved' } },
    })
    expect(approved.totalDocs).toBe(13)
  })

  it('skip recomputation under the skipDerivedFigures context flag, for scripts that recompute once', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    for (let n = 1; n <= 3; n++) {
      await payload.create({
        collection: 'scenes',
        data: { project: project.id, episode: episode.id, sceneNumber: n } as never,
        context: { skipDerivedFigures: true },
      })
    }
    expect(await production(episode.id)).toMatchObject({ sceneCount: 0 })
    const req = { payload, context: {} } as never
    await recomputeEpisodeProduction({ req, episodeId: episode.id, projectId: project.id })
    expect(await production(episode.id)).toMatchObject({ sceneCount: 3 })
  })
})

describe('project progress', () => {
  it('follows its episodes: statuses, render progress and the planned episode count', async () => {
    const project = await f.project(userId, { episodeCount: 2 })
    const progress = async () => (await payload.findByID({ collection: 'projects', id: project.id })).progress
    expect(await progress()).toMatchObject({ overallProgress: 0, completedSteps: [] })

    const one = await f.episode(project.id, 1)
    const two = await f.episode(project.id, 2)
    for (const status of ['scripting', 'storyboarding', 'production'] as const) {
      await payload.update({ collection: 'episodes', id: one.id, data: { status } })
    }
    // one: production with no rendered scene = 30, two: planning = 0 → 15
    expect(await progress()).toMatchObject({ overallProgress: 15, completedSteps: [] })
    const a = await f.scene(project.id, one.id, 1)
    await f.scene(project.id, one.id, 2)
    await setStatus(a.id, 'generating')
    await setStatus(a.id, 'reviewing')
    // one: 30 + 50 × 50% = 55, two: 0 → 27.5 → 28
    expect(await progress()).toMatchObject({ overallProgress: 28, completedSteps: [] })

    for (const status of ['scripting', 'storyboarding'] as const) {
      await payload.update({ collection: 'episodes', id: two.id, data: { status } })
    }
    // every planned episode is past scripting; two: 30 → (55 + 30) / 2 = 42.5 → 43
    expect(await progress()).toMatchObject({ overallProgress: 43, completedSteps: ['story_development'] })

    // a third planned episode not created yet counts as 0 and holds the phase open
    await payload.update({ collection: 'projects', id: project.id, data: { episodeCount: 3 } })
    expect(await progress()).toMatchObject({ overallProgress: 28, completedSteps: [] })

    // read-only for callers; currentPhase stays theirs
    const tampered = await payload.update({
      collection: 'projects',
      id: project.id,
      data: { progress: { overallProgress: 100, completedSteps: ['final_assembly'], currentPhase: 'scene_production' } },
    })
    expect(tampered.progress).toMatchObject({ overallProgress: 28, completedSteps: [], currentPhase: 'scene_production' })
  })
})

describe('character appearances', () => {
  it('list per episode the scenes that cast the character or give it a line, with their screen time', async () => {
    const project = await f.project(userId)
    const one = await f.episode(project.id, 1)
    const two = await f.episode(project.id, 2)
    const hero = await f.character(project.id)
    const extra = await f.character(project.id)
    const cast = await f.scene(project.id, one.id, 1, { characters: [hero.id, extra.id], script: { duration: 30 } })
    const speaks = await f.scene(project.id, one.id, 2, {
      characters: [extra.id],
      script: { dialogue: [{ character: hero.id, lines: 'Run!', timing: 4 }, { character: extra.id, lines: 'Why?', timing: 6 }] },
    })
    const later = await f.scene(project.id, two.id, 1, { characters: [hero.id], script: { duration: 12 } })
    await f.scene(project.id, two.id, 2, { characters: [extra.id], script: { duration: 100 } })

    const appearances = async (id: string) =>
      ((await payload.findByID({ collection: 'characters', id, depth: 0 })).appearances ?? []).map(
        ({ episodeId, sceneIds, screenTime }) => ({ episodeId, sceneIds, screenTime }),
      )
    const byEpisode = (rows: Awaited<ReturnType<typeof appearances>>) =>
      Object.fromEntries(rows.map((row) => [row.episodeId as string, { sceneIds: row.sceneIds, screenTime: row.screenTime }]))

    expect(byEpisode(await appearances(hero.id))).toEqual({
      [one.id]: { sceneIds: [cast.id, speaks.id], screenTime: 40 },
      [two.id]: { sceneIds: [later.id], screenTime: 12 },
    })

    // dropped from the first scene, and the second episode's scene deleted
    await payload.update({ collection: 'scenes', id: cast.id, data: { characters: [extra.id] } })
    await payload.delete({ collection: 'scenes', id: later.id })
    expect(byEpisode(await appearances(hero.id))).toEqual({ [one.id]: { sceneIds: [speaks.id], screenTime: 10 } })
    expect(byEpisode(await appearances(extra.id))[two.id]).toMatchObject({ screenTime: 100 })

    // read-only for callers
    await payload.update({ collection: 'characters', id: hero.id, data: { name: 'Hero', appearances: [] } })
    expect(await appearances(hero.id)).toHaveLength(1)
  })
})
