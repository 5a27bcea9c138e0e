import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Character, Episode, Project, Scene, Task, User } from '../../../src/payload-types'

import { productionLanding } from '../../../src/records/production/landing'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { productionService } from '../../../src/services/productionService'
import { projectService } from '../../../src/services/projectService'
import { fixtures } from '../../helpers/fixtures'
import { productionHandlers, runUntilIdle } from '../../helpers/productionHandlers'
import { createTestPayload } from '../../helpers/payload'

/**
 * The production service as its callers use it (Local API with the caller, as the /api/v1 routes do): produce,
 * review with regenerate, assemble with its 409, who may do what, the episode's status and its cost rollup.
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User, collaborator: User, stranger: User
let project: Project
let episode: Episode
let queue: TaskQueue
let scenes: Scene[]
const seen: Record<string, Record<string, unknown>[]> = {}

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('productionService'))
  const make = fixtures(payload)
  owner = (await make.user({ role: 'producer' })) as User
  collaborator = (await make.user({ role: 'producer' })) as User
  stranger = (await make.user({ role: 'producer' })) as User
  project = (await make.project(owner.id, { collaborators: [collaborator.id] })) as Project
  episode = (await make.episode(project.id, 1)) as Episode
  const ada = (await make.character(project.id, { name: 'Ada', voiceProfile: { voiceId: 'voice-ada' } })) as Character
  const ben = (await make.character(project.id, { name: 'Ben', voiceProfile: { voiceId: 'voice-ben' } })) as Character
  scenes = [
    (await make.scene(project.id, episode.id, 1, {
      script: { action: 'Ada waits at the pier. A boat appears.', duration: 4, dialogue: [{ character: ada.id, lines: 'Finally.', timing: 1.5 }] },
      characters: [ada.id],
    })) as Scene,
    (await make.scene(project.id, episode.id, 2, {
      script: { action: 'Ben steps off the boat.', dialogue: [{ character: ben.id, lines: 'Miss me?', timing: 2 }, { character: ada.id, lines: 'No.', timing: 3 }] },
      characters: [ada.id, ben.id],
    })) as Scene,
  ]
  queue = createTaskQueue({ payload, leaseMs: 30_000, landing: productionLanding(payload) })
})
afterAll(async () => cleanup?.())

const as = (user: User) => ({ payload, user })
const run = () => runUntilIdle({ payload, queue, handlers: productionHandlers(payload, { seen }), projectId: project.id })
const scene = async (id: string) => (await payload.findByID({ collection: 'scenes', id, depth: 0 })) as Scene
const statusOf = async (promise: Promise<unknown>) => (await promise.then(() => 200, (err: { status?: number }) => err.status)) as number

describe('produce → review → assemble', () => {
  it('refuses a stranger with 404 everywhere', async () => {
    expect(await statusOf(productionService.produce({ actor: as(stranger), episodeId: episode.id }))).toBe(404)
    expect(await statusOf(productionService.assemble({ actor: as(stranger), episodeId: episode.id }))).toBe(404)
    expect(await statusOf(productionService.review({ actor: as(stranger), sceneId: scenes[0].id, decision: 'approve' }))).toBe(404)
    expect(await statusOf(productionService.takes({ actor: as(stranger), sceneId: scenes[0].id }))).toBe(404)
    expect(await payload.count({ collection: 'tasks' })).toMatchObject({ totalDocs: 0 })
  })

  it('lets a collaborator produce the episode; producing again answers the open plan', { timeout: 300_000 }, async () => {
    const { tasks } = await productionService.produce({ actor: as(collaborator), episodeId: episode.id })
    expect(tasks.map((task) => task.taskType).sort()).toEqual(['audio_generation', 'audio_generation', 'script_generation', 'script_generation'])
    const again = await productionService.produce({ actor: as(collaborator), episodeId: episode.id })
    expect(again.tasks.map((task) => task.id).sort()).toEqual(tasks.map((task) => task.id).sort())
    expect((await payload.findByID({ collection: 'episodes', id: episode.id, depth: 0 })).status).toBe('production')
    // A review before the scene is in review is a 409; an unknown scene of the episode a 400 naming it.
    expect(await statusOf(productionService.review({ actor: as(owner), sceneId: scenes[0].id, decision: 'approve' }))).toBe(409)
    expect(await statusOf(productionService.produce({ actor: as(owner), episodeId: episode.id, scenes: [episode.id] }))).toBe(400)

    await run()
    for (const { id } of scenes) {
      const done = await scene(id)
      expect(done.production).toMatchObject({ status: 'reviewing', attempts: 1 })
      expect(done.production?.videoSegment && done.production.audioTrack && done.production.sceneCut).toBeTruthy()
      expect(done.storyboard?.panels?.every((panel) => panel.image)).toBe(true)
    }
    // The second scene's track: its lines one after another in their characters' voices, as long as the scene.
    expect(seen.audio_generation.find((p) => (p.lines as unknown[]).length === 2)).toMatchObject({
      duration: 5,
      lines: [{ text: 'Miss me?', voiceId: 'voice-ben', start: 0, end: 2 }, { text: 'No.', voiceId: 'voice-ada', start: 2, end: 5 }],
    })
  })

  it('assembles only approved scenes (409 naming the others), rejects with regenerate as a new attempt keeping the first take', { timeout: 300_000 }, async () => {
    const refused = await productionService.assemble({ actor: as(owner), episodeId: episode.id }).catch((err) => err)
    expect(refused.status).toBe(409)
    expect(refused.details.scenes.map((s: { id: string }) => s.id).sort()).toEqual(scenes.map((s) => s.id).sort())

    const firstVideo = String((await scene(scenes[1].id)).production?.videoSegment)
    const rejected = await productionService.review({ actor: as(owner), sceneId: scenes[1].id, decision: 'reject', note: 'Too dark', regenerate: ['video'] })
    expect(rejected.production).toMatchObject({ status: 'generating', attempts: 2, reviewNote: 'Too dark' })
    await run()
    const second = await scene(scenes[1].id)
    expect(second.production).toMatchObject({ status: 'reviewing', attempts: 2 })
    expect(String(second.production?.videoSegment)).not.toBe(firstVideo)
    const takes = await productionService.takes({ actor: as(collaborator), sceneId: scenes[1].id })
    const videoTakes = takes.slots.find((slot) => slot.slot === 'production.videoSegment')!
    expect(videoTakes.current).toBe(String(second.production?.videoSegment))
    expect(videoTakes.takes.map((media) => media.id)).toContain(firstVideo)
    expect(videoTakes.takes).toHaveLength(2)

    for (const { id } of scenes) {
      expect((await productionService.review({ actor: as(owner), sceneId: id, decision: 'approve' })).production?.status).toBe('approved')
    }
    const cut = await productionService.assemble({ actor: as(owner), episodeId: episode.id })
    expect(await productionService.assemble({ actor: as(owner), episodeId: episode.id })).toMatchObject({ id: cut.id })
    const approved = await Promise.all(scenes.map(({ id }) => scene(id)))
    expect(cut.input?.parameters).toMatchObject({
      kind: 'episode',
      sceneCutMediaIds: approved.map((s) => String(s.production?.sceneCut)),
      // Scene 1 runs 4 s, so scene 2's lines start at 4.
      subtitles: [
        { start: 0, end: 1.5, text: 'Finally.', speaker: 'Ada' },
        { start: 4, end: 6, text: 'Miss me?', speaker: 'Ben' },
        { start: 6, end: 9, text: 'No.', speaker: 'Ada' },
      ],
      target: { collection: 'episodes', id: episode.id, slot: 'metadata.finalVideo' },
    })
    expect((await payload.findByID({ collection: 'episodes', id: episode.id, depth: 0 })).status).toBe('editing')
    await run()
    const final = (await payload.findByID({ collection: 'episodes', id: episode.id, depth: 0 })) as Episode
    expect(final.status).toBe('completed')
    expect(final.metadata).toMatchObject({ duration: 9 })
    expect(await payload.findByID({ collection: 'media', id: String(final.metadata?.finalVideo), depth: 0 })).toMatchObject({ mediaType: 'final_video', episode: episode.id })
    expect(await payload.findByID({ collection: 'media', id: String(final.metadata?.thumbnail), depth: 0 })).toMatchObject({ mediaType: 'concept_art', mimeType: 'image/png' })

    // The episode's cost rollup is the sum of its tasks' costs.
    const tasks = (await payload.find({ collection: 'tasks', where: { episode: { equals: episode.id } }, limit: 200, depth: 0 })).docs as Task[]
    const sum = tasks.reduce((total, task) => total + (task.output?.metrics?.cost ?? 0), 0)
    expect(sum).toBeGreaterThan(0)
    const overview = await projectService.getOverview({ actor: as(owner), projectId: project.id })
    expect(overview.usage.byEpisode.find((row) => row.episode === episode.id)?.cost).toBeCloseTo(sum, 6)
    expect(overview.usage.byEpisode.find((row) => row.episode === episode.id)?.tasks).toBe(tasks.length)
  })
})
