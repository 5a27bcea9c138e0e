import type { Payload } from 'payload'

import { afterAll, beforeAll, expect, it } from 'vitest'

import type { Media, Project, Task, User } from '../../../src/payload-types'

import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { taskHandlers } from '../../../src/worker/handlers'
import { startWorker } from '../../../src/worker/runWorker'
import type { TaskHandler } from '../../../src/worker/taskHandler'
import { startFakeProviders } from '../../helpers/fakeProviders'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** The worker with its real handlers against local servers speaking fal's, OpenRouter's and ElevenLabs' shapes. */
let payload: Payload
let cleanup: () => Promise<void>
let fake: Awaited<ReturnType<typeof startFakeProviders>>
let project: Project
let queue: TaskQueue

beforeAll(async () => {
  fake = await startFakeProviders({ imageFile: (await pngFile()).data })
  for (const name of ['FAL', 'OPENROUTER', 'ELEVENLABS', 'JINA']) process.env[`${name}_BASE_URL`] = fake.url
  Object.assign(process.env, { FAL_KEY: 'fal-key', OPENROUTER_API_KEY: 'or-key', PROVIDER_MAX_RETRIES: '0' })
  delete process.env.ELEVENLABS_API_KEY
  ;({ payload, cleanup } = await createTestPayload('runWorker'))
  const owner = (await fixtures(payload).user({ subscription: { tier: 'enterprise' } })) as User
  project = (await fixtures(payload).project(owner.id)) as Project
  queue = createTaskQueue({ payload, leaseMs: 30_000 })
})
afterAll(async () => {
  await cleanup?.()
  await fake?.stop()
})

const enqueue = async (data: Record<string, unknown>) =>
  (await payload.create({ collection: 'tasks', data: { project: project.id, ...data } as never })) as Task
const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task

it('runs each task type through its handler: media stored with its generation metadata, scripts with tokens and cost', { timeout: 180_000 }, async () => {
  const image = await enqueue({ taskType: 'image_generation', input: { parameters: { prompt: 'a lighthouse at dusk', image_size: 'square' } } })
  const script = await enqueue({ taskType: 'script_generation', input: { parameters: { prompt: 'Write the cold open' } } })
  const voice = await enqueue({ taskType: 'audio_generation', input: { parameters: { text: 'Hello', voiceId: 'v1' } } })
  const noPrompt = await enqueue({ taskType: 'image_generation', input: { parameters: {} } })
  const lines: string[] = []
  const worker = startWorker({ payload, queue, handlers: taskHandlers, workerId: 'test-worker', concurrency: 2, once: true, log: (line) => lines.push(line) })
  await worker.done

  const imageTask = await read(image.id)
  expect(imageTask.status).toBe('completed')
  const media = (await payload.findByID({ collection: 'media', id: String(imageTask.output?.mediaId), depth: 0 })) as Media
  expect(media).toMatchObject({
    project: project.id,
    mediaType: 'concept_art',
    mimeType: 'image/png',
    agentGenerated: true,
    generationMetadata: { provider: 'fal', modelVersion: 'fal-ai/nano-banana', promptUsed: 'a lighthouse at dusk', taskId: image.id, agentId: 'test-worker' },
  })
  expect(fake.requests.find((request) => request.path === '/fal-ai/nano-banana')?.body).toEqual({ prompt: 'a lighthouse at dusk', image_size: 'square' })

  expect(await read(script.id)).toMatchObject({
    status: 'completed',
    output: { result: { text: 'echo: Write the cold open' }, metrics: { tokensUsed: 17, cost: 0.00042 } },
  })
  // No ElevenLabs key: failed for good with a clear error, no media faked.
  expect(await read(voice.id)).toMatchObject({ status: 'failed', error: { code: 'PROVIDER_NOT_CONFIGURED' } })
  expect((await read(voice.id)).error?.message).toContain('ELEVENLABS_API_KEY')
  expect(await read(noPrompt.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_TASK_INPUT' } })
  expect((await payload.count({ collection: 'media', where: { mediaType: { equals: 'audio_clip' } } })).totalDocs).toBe(0)

  // One line per transition.
  expect(lines.filter((line) => line.includes(`task=${image.id}`)).map((line) => line.split(' ')[4])).toEqual(['claimed', 'completed'])
  expect(lines.filter((line) => line.includes(`task=${voice.id}`)).map((line) => line.split(' ')[4])).toEqual(['claimed', 'failed'])
})

it('on stop, claims nothing more, lets a running task finish, and releases one that outlasts the drain', { timeout: 180_000 }, async () => {
  let release: () => void = () => undefined
  const slow: TaskHandler = {
    taskType: 'scene_assembly',
    run: () => new Promise((resolve) => (release = () => resolve({ result: { assembled: true } }))),
  }
  const finishing = await enqueue({ taskType: 'scene_assembly', priority: 10 })
  const waiting = await enqueue({ taskType: 'scene_assembly', priority: 1 })
  const lines: string[] = []
  const worker = startWorker({ payload, queue, handlers: [slow], workerId: 'drainer', pollMs: 50, drainMs: 60_000, log: (line) => lines.push(line) })
  await expect.poll(() => lines.some((line) => line.includes(`task=${finishing.id}`) && line.includes('claimed')), { timeout: 60_000 }).toBe(true)
  worker.stop()
  release()
  await worker.done
  expect((await read(finishing.id)).status).toBe('completed')
  expect((await read(waiting.id)).status).toBe('queued')

  const stuck = startWorker({ payload, queue, handlers: [{ taskType: 'scene_assembly', run: () => new Promise(() => undefined) }], workerId: 'stuck', pollMs: 50, drainMs: 200, log: (line) => lines.push(line) })
  await expect.poll(() => lines.some((line) => line.includes('worker=stuck') && line.includes('claimed')), { timeout: 60_000 }).toBe(true)
  stuck.stop()
  await stuck.done
  expect(await read(waiting.id)).toMatchObject({ status: 'queued', error: { code: 'WORKER_SHUTDOWN', retryCount: 1 } })
  expect(lines.at(-1)).toContain('released')
})
