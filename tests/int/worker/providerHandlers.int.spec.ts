import type { Payload } from 'payload'

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest'

import type { Media, Project, Task, User } from '../../../src/payload-types'

import { probeMedia, runMediaTool } from '../../../src/lib/mediaTools/mediaTools'
import { localImage, localVideo } from '../../../src/providers/local'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { taskHandlers } from '../../../src/worker/handlers'
import { readMediaFile } from '../../../src/worker/mediaFiles'
import { startWorker } from '../../../src/worker/runWorker'
import { startFakeProviders } from '../../helpers/fakeProviders'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The real providers' clients as the handlers use them — fal image-to-video, fal reference images, ElevenLabs speech
 * per line — against a local server speaking those APIs' shapes.
 */
let payload: Payload
let cleanup: () => Promise<void>
let fake: Awaited<ReturnType<typeof startFakeProviders>>
let project: Project
let otherProject: Project
let sceneId: string
let queue: TaskQueue
let scratch: string

beforeAll(async () => {
  delete process.env.AI_PROVIDER
  scratch = await mkdtemp(path.join(os.tmpdir(), 'provider-handlers-test-'))
  const still = await localImage({ prompt: 'a frame' })
  const video = await localVideo({ image: still.data, duration: 2, dir: scratch })
  const speech = path.join(scratch, 'speech.mp3')
  await runMediaTool('ffmpeg', ['-f', 'lavfi', '-i', 'sine=frequency=330:duration=1.2', '-c:a', 'libmp3lame', speech])
  fake = await startFakeProviders({ imageFile: (await pngFile()).data, videoFile: video.data, speechFile: await readFile(speech) })
  for (const name of ['FAL', 'OPENROUTER', 'ELEVENLABS', 'JINA']) process.env[`${name}_BASE_URL`] = fake.url
  Object.assign(process.env, { FAL_KEY: 'fal-key', ELEVENLABS_API_KEY: 'el-key', PROVIDER_MAX_RETRIES: '0' })
  ;({ payload, cleanup } = await createTestPayload('providerHandlers'))
  const owner = (await fixtures(payload).user()) as User
  project = (await fixtures(payload).project(owner.id)) as Project
  otherProject = (await fixtures(payload).project(owner.id)) as Project
  // Targets name real documents of the project (checked at enqueue).
  const episode = await fixtures(payload).episode(project.id, 1)
  sceneId = (await fixtures(payload).scene(project.id, episode.id, 1, { storyboard: { panels: [{ description: 'Mara in the storm' }] } })).id
  queue = createTaskQueue({ payload, leaseMs: 60_000 })
})
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true })
  await cleanup?.()
  await fake?.stop()
})
beforeEach(() => {
  fake.requests.length = 0
})

const enqueue = async (taskType: Task['taskType'], parameters: Record<string, unknown>) =>
  (await payload.create({ collection: 'tasks', data: { project: project.id, taskType, input: { parameters } } as never })) as Task
const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task
const runAll = async () => {
  await startWorker({ payload, queue, handlers: taskHandlers, workerId: 'provider-test', once: true, log: () => undefined }).done
}
const upload = async (projectId: string) =>
  (await payload.create({ collection: 'media', data: { project: projectId, mediaType: 'character_design' } as never, file: await pngFile(40, 30, 'ref.png') })) as Media
const mediaOf = async (task: Task) => {
  const done = await read(task.id)
  expect(done.status, JSON.stringify(done.error)).toBe('completed')
  return (await payload.findByID({ collection: 'media', id: String(done.output?.mediaId), depth: 0 })) as Media
}

it('images with reference images: fal nano-banana/edit with image_urls (the stored files) and the aspect ratio', { timeout: 120_000 }, async () => {
  const reference = await upload(project.id)
  const referenceBytes = (await readMediaFile(payload, reference.id, { task: { id: 'test', project: project.id } })).data
  const withReferences = await enqueue('image_generation', {
    prompt: 'Mara in the storm',
    aspectRatio: '4:3',
    referenceMediaIds: [reference.id],
    target: { collection: 'scenes', id: sceneId, slot: 'storyboard.panels.image', panel: 0 },
  })
  const plain = await enqueue('image_generation', { prompt: 'An empty harbour' })
  await runAll()

  expect(await mediaOf(withReferences)).toMatchObject({ mimeType: 'image/png', generationMetadata: { provider: 'fal', modelVersion: 'fal-ai/nano-banana/edit' } })
  const edit = fake.requests.find((request) => request.path === '/fal-ai/nano-banana/edit')!
  expect(edit.headers.authorization).toBe('Key fal-key')
  const body = edit.body as { prompt: string; aspect_ratio: string; image_urls: string[] }
  expect(Object.keys(body).sort()).toEqual(['aspect_ratio', 'image_urls', 'prompt'])
  expect(body).toMatchObject({ prompt: 'Mara in the storm', aspect_ratio: '4:3' })
  expect(body.image_urls).toEqual([`data:image/png;base64,${referenceBytes.toString('base64')}`])

  expect(await mediaOf(plain)).toMatchObject({ generationMetadata: { provider: 'fal', modelVersion: 'fal-ai/nano-banana' } })
  expect(fake.requests.find((request) => request.path === '/fal-ai/nano-banana')?.body).toEqual({ prompt: 'An empty harbour' })
})

it('image-to-video: fal kling image-to-video with the stored image as image_url; the clip stored as MP4', { timeout: 120_000 }, async () => {
  const image = await upload(project.id)
  const imageBytes = (await readMediaFile(payload, image.id, { task: { id: 'test', project: project.id } })).data
  const task = await enqueue('video_generation', { prompt: 'The door opens slowly', imageMediaId: image.id, duration: 4 })
  const textOnly = await enqueue('video_generation', { prompt: 'Waves', duration: 8, aspectRatio: '21:9' })
  await runAll()
  const clip = await mediaOf(task)
  expect(clip).toMatchObject({ mimeType: 'video/mp4', mediaType: 'video_segment', generationMetadata: { provider: 'fal', modelVersion: 'fal-ai/kling-video/v2/master/image-to-video' } })
  const request = fake.requests.find((entry) => entry.path === '/fal-ai/kling-video/v2/master/image-to-video')!
  expect(request.body).toEqual({ prompt: 'The door opens slowly', duration: '5', image_url: `data:image/png;base64,${imageBytes.toString('base64')}` })
  expect(fake.requests.find((entry) => entry.path === '/fal-ai/kling-video/v2/master/text-to-video')?.body).toEqual({ prompt: 'Waves', duration: '10', aspect_ratio: '21:9' })
  expect((await mediaOf(textOnly)).generationMetadata).toMatchObject({ modelVersion: 'fal-ai/kling-video/v2/master/text-to-video' })
  // The downloaded clip is stored as it came.
  const stored = await readMediaFile(payload, clip.id, { task })
  const file = path.join(scratch, 'stored.mp4')
  await writeFile(file, stored.data)
  expect((await probeMedia(file)).streams[0]).toMatchObject({ codecType: 'video', codecName: 'h264' })
})

it('scene track on ElevenLabs: one speech request per line in its voice, mixed into one track as long as the scene', { timeout: 120_000 }, async () => {
  const task = await enqueue('audio_generation', {
    duration: 3,
    lines: [
      { text: 'Who keeps the light?', voiceId: 'voice-mara', character: 'Mara', start: 0.2 },
      { text: 'I do.', voiceId: 'voice-tom', start: 1.6, end: 2.6 },
    ],
  })
  const noVoice = await enqueue('audio_generation', { duration: 3, lines: [{ text: 'Hello', voiceId: 'v', start: 0 }, { text: 'Who?', start: 1 }] })
  await runAll()
  const track = await mediaOf(task)
  expect(track).toMatchObject({ mimeType: 'audio/mpeg', mediaType: 'audio_clip', generationMetadata: { provider: 'elevenlabs', modelVersion: 'eleven_multilingual_v2' } })
  const speech = fake.requests.filter((request) => request.path.startsWith('/v1/text-to-speech/') && (request.body as { text: string }).text !== 'Hello')
  expect(speech.map((request) => [request.path.split('?')[0], (request.body as { text: string }).text, request.headers['xi-api-key']])).toEqual([
    ['/v1/text-to-speech/voice-mara', 'Who keeps the light?', 'el-key'],
    ['/v1/text-to-speech/voice-tom', 'I do.', 'el-key'],
  ])
  const stored = await readMediaFile(payload, track.id, { task })
  const file = path.join(scratch, 'track.mp3')
  await writeFile(file, stored.data)
  const probed = await probeMedia(file)
  expect(Math.abs(probed.durationSeconds - 3)).toBeLessThan(0.15)

  expect(await read(noVoice.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_TASK_INPUT' } })
  expect((await read(noVoice.id)).error?.message).toContain('lines[1] has no voiceId')

  // The deployment's default voice speaks lines whose character has none.
  process.env.ELEVENLABS_DEFAULT_VOICE_ID = 'voice-default'
  try {
    const defaulted = await enqueue('audio_generation', { duration: 2, lines: [{ text: 'Anyone there?', start: 0 }] })
    await runAll()
    expect((await read(defaulted.id)).status).toBe('completed')
    expect(fake.requests.some((request) => request.path.startsWith('/v1/text-to-speech/voice-default?'))).toBe(true)
  } finally {
    delete process.env.ELEVENLABS_DEFAULT_VOICE_ID
  }
})

it("never reads another project's media: a foreign reference fails the task for good before any provider call", { timeout: 120_000 }, async () => {
  const foreign = await upload(otherProject.id)
  const task = await enqueue('image_generation', { prompt: 'x', referenceMediaIds: [foreign.id] })
  await runAll()
  expect(await read(task.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_TASK_INPUT' } })
  expect((await read(task.id)).error?.message).toContain("not in the task's project")
  expect(fake.requests.filter((request) => request.path.startsWith('/fal-ai/'))).toEqual([])
})
