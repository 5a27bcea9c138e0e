import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Character, Episode, Media, Project, Scene, Task, User } from '../../../src/payload-types'

import { productionLanding } from '../../../src/records/production/landing'
import { planSceneWork } from '../../../src/records/production/scenePlan'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { isPromptTask } from '../../../src/services/promptTaskRunner'
import { storeGeneratedMedia } from '../../../src/worker/storeGeneratedMedia'
import type { TaskHandler } from '../../../src/worker/taskHandler'
import { fixtures } from '../../helpers/fixtures'
import { wavFile } from '../../helpers/mediaFiles'
import { productionHandlers, runUntilIdle as runIdle } from '../../helpers/productionHandlers'
import { createTestPayload } from '../../helpers/payload'

/**
 * From a task's target to the production (docs/QUEUE.md, Targets): target checks at enqueue, results landing in
 * their slots with the media's relations, previous takes kept, parameters passed on by dependencies, the scene's
 * production status through its machine, and a producer's edit made while the engine works surviving it. The
 * handlers here are test handlers storing small real files (the media handlers are tested with their providers).
 */
let payload: Payload
let cleanup: () => Promise<void>
let owner: User, stranger: User
let project: Project, foreign: Project
let episode: Episode
let hero: Character
let queue: TaskQueue

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('production'))
  const make = fixtures(payload)
  owner = (await make.user({ role: 'producer' })) as User
  stranger = (await make.user({ role: 'producer' })) as User
  project = (await make.project(owner.id)) as Project
  foreign = (await make.project(stranger.id)) as Project
  episode = (await make.episode(project.id, 1)) as Episode
  hero = (await make.character(project.id, { name: 'Ada', voiceProfile: { voiceId: 'voice-ada' } })) as Character
  queue = createTaskQueue({ payload, leaseMs: 30_000, landing: productionLanding(payload) })
})
afterAll(async () => cleanup?.())

const enqueueAs = (user: User, data: Record<string, unknown>) =>
  payload.create({ collection: 'tasks', data: { project: project.id, ...data } as never, depth: 0, user, overrideAccess: false }) as Promise<Task>
const readScene = async (id: string) => (await payload.findByID({ collection: 'scenes', id, depth: 0 })) as Scene
const readTask = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task
const issuesOf = async (promise: Promise<unknown>) => {
  const err = (await promise.then(
    () => undefined,
    (error: unknown) => error,
  )) as { status?: number; data?: { errors?: { path: string }[] } } | undefined
  expect(err?.status).toBe(400)
  return (err?.data?.errors ?? []).map((issue) => issue.path)
}

describe('task targets at enqueue', () => {
  it('refuses a target that names no slot, a slot of another task type, a document of another project or a missing panel, naming the field', async () => {
    const scene = (await fixtures(payload).scene(project.id, episode.id, 1, { storyboard: { panels: [{ description: 'one' }] } })) as Scene
    const foreignEpisode = (await fixtures(payload).episode(foreign.id, 1)) as Episode
    const foreignScene = (await fixtures(payload).scene(foreign.id, foreignEpisode.id, 1)) as Scene
    const image = (target: unknown) => enqueueAs(owner, { taskType: 'image_generation', input: { parameters: { prompt: 'x', target } } })
    expect(await issuesOf(image({ collection: 'scenes', id: scene.id, slot: 'production.title' }))).toEqual(['input.parameters.target.slot'])
    expect(await issuesOf(image({ collection: 'scenes', id: scene.id, slot: 'production.videoSegment' }))).toEqual(['input.parameters.target.slot'])
    expect(await issuesOf(image({ collection: 'scenes', id: foreignScene.id, slot: 'storyboard.panels.image', panel: 0 }))).toEqual(['input.parameters.target.id'])
    expect(await issuesOf(image({ collection: 'scenes', id: scene.id, slot: 'storyboard.panels.image', panel: 1 }))).toEqual(['input.parameters.target.panel'])
    expect(await issuesOf(image({ collection: 'scenes', id: scene.id, slot: 'storyboard.panels.image' }))).toEqual(['input.parameters.target.panel'])
    expect(await issuesOf(image({ collection: 'planets', id: scene.id, slot: 'x' }))).toEqual(['input.parameters.target.collection'])
    expect(await issuesOf(image('scenes'))).toEqual(['input.parameters.target'])
    // The other project's scene is never named as such.
    const err = await image({ collection: 'scenes', id: foreignScene.id, slot: 'production.videoSegment' }).catch((error: Error) => error)
    expect(JSON.stringify(err)).not.toContain(foreign.id)

    // A fitting target fills the task's scene and episode.
    const task = await image({ collection: 'scenes', id: scene.id, slot: 'storyboard.panels.image', panel: 0 })
    expect(task).toMatchObject({ scene: scene.id, episode: episode.id })
    // The task list shows what a task fills.
    expect((await readTask(task.id)).fills).toBe(`scenes ${scene.id} storyboard.panels.0.image`)
    // A task whose scene is another than its target's is refused on `scene`.
    const other = (await fixtures(payload).scene(project.id, episode.id, 2)) as Scene
    expect(
      await issuesOf(enqueueAs(owner, { taskType: 'video_generation', scene: other.id, input: { parameters: { prompt: 'x', target: { collection: 'scenes', id: scene.id, slot: 'production.videoSegment' } } } })),
    ).toEqual(['scene'])
  })
})

const seen: Record<string, Record<string, unknown>[]> = {}
const handlers = (options: Parameters<typeof productionHandlers>[1] = {}) => productionHandlers(payload, { seen, ...options })
const runUntilIdle = (taskHandlers: TaskHandler[]) => runIdle({ payload, queue, handlers: taskHandlers, projectId: project.id })

describe('a scene produced on the engine', () => {
  it('plans the storyboard, lands every result in its slot with its relations, passes the first panel to the video, and ends reviewing', { timeout: 240_000 }, async () => {
    const scene = (await fixtures(payload).scene(project.id, episode.id, 3, {
      script: {
        action: 'Ada opens the door. The storm pours in.',
        dialogue: [
          { character: hero.id, lines: 'Who is there?', timing: 2 },
          { character: hero.id, lines: 'Show yourself.', timing: 3, emotion: 'angry' },
        ],
      },
      characters: [hero.id],
    })) as Scene
    const { created } = await planSceneWork({ payload, sceneId: scene.id, user: owner })
    expect(created.map((task) => task.taskType).sort()).toEqual(['audio_generation', 'script_generation'])
    // The storyboard plan runs through its prompt template on any worker.
    expect(isPromptTask(created.find((task) => task.taskType === 'script_generation')!)).toBe(true)
    const audio = created.find((task) => task.taskType === 'audio_generation')!
    expect(audio.input?.parameters).toMatchObject({
      duration: 5,
      lines: [
        { text: 'Who is there?', voiceId: 'voice-ada', character: 'Ada', start: 0, end: 2 },
        { text: 'Show yourself.', voiceId: 'voice-ada', start: 2, end: 5, emotion: 'angry' },
      ],
    })
    expect((await readScene(scene.id)).production).toMatchObject({ status: 'generating', attempts: 1 })
    // Producing again while the plan is open answers the open tasks, adds nothing.
    const again = await planSceneWork({ payload, sceneId: scene.id, user: owner })
    expect(again.created).toEqual([])
    expect(again.open.map((task) => task.id).sort()).toEqual(created.map((task) => task.id).sort())

    await runUntilIdle(handlers())

    const done = await readScene(scene.id)
    expect(done.production).toMatchObject({ status: 'reviewing', attempts: 1 })
    expect(done.storyboard?.panels?.map((panel) => panel.description)).toEqual(['Ada opens the door.', 'The storm pours in.'])
    const images = done.storyboard!.panels!.map((panel) => String(panel.image))
    for (const [index, id] of images.entries()) {
      const media = (await payload.findByID({ collection: 'media', id, depth: 0 })) as Media
      expect(media).toMatchObject({
        project: project.id,
        episode: episode.id,
        scene: scene.id,
        mediaType: 'storyboard',
        agentGenerated: true,
        generationMetadata: { provider: 'custom', modelVersion: 'local/image', slot: `storyboard.panels.${index}.image` },
      })
    }
    const slots = { videoSegment: 'video_segment', audioTrack: 'audio_clip', sceneCut: 'video_segment' } as const
    for (const [slot, mediaType] of Object.entries(slots)) {
      const id = String(done.production?.[slot as keyof typeof slots])
      expect(await payload.findByID({ collection: 'media', id, depth: 0 })).toMatchObject({ scene: scene.id, mediaType, generationMetadata: { slot: `production.${slot}` } })
    }
    // The video was made from the first panel's image, the cut from the video and the audio.
    const video = seen.video_generation.at(-1)!
    expect(video).toMatchObject({ imageMediaId: images[0], duration: 5 })
    expect(seen.scene_assembly.at(-1)).toMatchObject({ kind: 'scene', videoMediaId: String(done.production?.videoSegment), audioMediaId: String(done.production?.audioTrack), duration: 5 })
    expect(seen.image_generation.some((image) => image.prompt === 'Ada opens the door. Camera: wide.')).toBe(true)

    // Another round (force): the slots point at the new takes, the first ones are kept.
    await payload.update({ collection: 'scenes', id: scene.id, data: { production: { status: 'failed' } } as never })
    const second = await planSceneWork({ payload, sceneId: scene.id, steps: ['video'], force: true, user: owner })
    expect(second.created.map((task) => task.taskType)).toEqual(['video_generation'])
    await runUntilIdle(handlers())
    const after = await readScene(scene.id)
    expect(after.production).toMatchObject({ status: 'reviewing', attempts: 2 })
    expect(after.production?.videoSegment).not.toEqual(done.production?.videoSegment)
    const takes = await payload.find({ collection: 'media', where: { and: [{ scene: { equals: scene.id } }, { 'generationMetadata.slot': { equals: 'production.videoSegment' } }] }, depth: 0 })
    expect(takes.docs.map((media) => media.id).sort()).toEqual([String(done.production?.videoSegment), String(after.production?.videoSegment)].sort())
  })

  it("keeps a producer's edit made while the engine works on the scene", { timeout: 180_000 }, async () => {
    const scene = (await fixtures(payload).scene(project.id, episode.id, 4, {
      script: { action: 'Rain.', duration: 4 },
      storyboard: { panels: [{ description: 'Rain on glass.' }] },
    })) as Scene
    await planSceneWork({ payload, sceneId: scene.id, steps: ['images', 'video'], user: owner })
    // The producer retitles the scene and rewrites the action while the video is being made (after the engine read
    // the scene for this round, before the result lands).
    const onVideo = async () => {
      await payload.update({ collection: 'scenes', id: scene.id, data: { title: 'The flood', script: { action: 'Rain, then flood.', duration: 4 } } as never, user: owner, overrideAccess: false })
    }
    await runUntilIdle(handlers({ onVideo }))
    const done = await readScene(scene.id)
    expect(done).toMatchObject({ title: 'The flood', script: { action: 'Rain, then flood.' }, production: { status: 'reviewing' } })
    expect(done.production?.videoSegment).toBeTruthy()
    expect(done.storyboard?.panels?.[0]?.image).toBeTruthy()

    // Landing and a producer's edit at the same moment: both fields end as written.
    const landings = Array.from({ length: 5 }, async (_, index) => {
      const media = await storeGeneratedMedia({
        payload,
        task: { id: `t${index}`, project: project.id, scene: scene.id, input: {} } as unknown as Task,
        workerId: 'w',
        file: { data: wavFile().data, mimeType: 'audio/wav', name: `a${index}.wav` },
        mediaType: 'audio_clip',
        provider: 'custom',
        model: 'local/video',
        prompt: 'x',
      })
      return media.id
    })
    const ids = await Promise.all(landings)
    const { writeSlot } = await import('../../../src/records/production/productionWrites')
    await Promise.all([
      ...ids.map((mediaId) => writeSlot(payload, { collection: 'scenes', id: scene.id, path: 'production.audioTrack', mediaId: mediaId })),
      payload.update({ collection: 'scenes', id: scene.id, data: { mood: 'grim' } as never, user: owner, overrideAccess: false }),
    ])
    // Neither the producer's field nor the engine's slot was lost (on FerretDB both take the scene's write turn).
    const after = await readScene(scene.id)
    expect(after.mood).toBe('grim')
    expect(ids).toContain(String(after.production?.audioTrack))
    expect(after.title).toBe('The flood')
  })

  it('fails the scene when a task for it fails for good, and cancels what depended on it', { timeout: 180_000 }, async () => {
    const scene = (await fixtures(payload).scene(project.id, episode.id, 5, {
      script: { action: 'Silence.', duration: 3 },
      storyboard: { panels: [{ description: 'Empty room.' }] },
    })) as Scene
    const { created } = await planSceneWork({ payload, sceneId: scene.id, user: owner })
    expect(created.map((task) => task.taskType)).toEqual(['image_generation', 'video_generation', 'scene_assembly'])
    await runUntilIdle(handlers({ failVideo: true }))
    expect((await readScene(scene.id)).production).toMatchObject({ status: 'failed', attempts: 1 })
    const cut = await readTask(created[2].id)
    expect(cut.status).toBe('cancelled')
    expect((await readTask(created[0].id)).status).toBe('completed')
  })
})
