import type { Payload } from 'payload'

import { DeleteObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import S3rver from 's3rver'
import { afterAll, beforeAll, expect, it } from 'vitest'

import type { Media, Project, Task, User } from '../../../src/payload-types'

import { probeMedia } from '../../../src/lib/mediaTools/mediaTools'
import { createTaskQueue } from '../../../src/queue/taskQueue'
import { taskHandlers } from '../../../src/worker/handlers'
import { readMediaFile } from '../../../src/worker/mediaFiles'
import { startWorker } from '../../../src/worker/runWorker'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** Handlers read their inputs from, and store their results in, an S3-compatible bucket (s3rver, as R2 is reached). */
const bucket = 'worker-media'
let s3: S3rver
let s3Dir: string
let endpoint: string
let payload: Payload
let cleanup: () => Promise<void>
let project: Project

beforeAll(async () => {
  s3Dir = mkdtempSync(path.join(os.tmpdir(), 's3rver-worker-'))
  s3 = new S3rver({ address: '127.0.0.1', port: 0, directory: s3Dir, silent: true, configureBuckets: [{ name: bucket }] })
  const { port } = (await s3.run()) as { port: number }
  endpoint = `http://127.0.0.1:${port}`
  Object.assign(process.env, {
    AI_PROVIDER: 'local',
    S3_BUCKET: bucket,
    S3_ENDPOINT: endpoint,
    S3_REGION: 'auto',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
    S3_FORCE_PATH_STYLE: 'true',
  })
  ;({ payload, cleanup } = await createTestPayload('mediaFilesS3'))
  const owner = (await fixtures(payload).user()) as User
  project = (await fixtures(payload).project(owner.id)) as Project
}, 120_000)
afterAll(async () => {
  for (const name of ['AI_PROVIDER', 'S3_BUCKET', 'S3_ENDPOINT', 'S3_REGION', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY', 'S3_FORCE_PATH_STYLE']) delete process.env[name]
  await cleanup?.()
  await s3?.close()
  rmSync(s3Dir, { recursive: true, force: true })
})

const enqueue = async (taskType: Task['taskType'], parameters: Record<string, unknown>) =>
  (await payload.create({ collection: 'tasks', data: { project: project.id, taskType, input: { parameters } } as never })) as Task
const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task

it('image-to-video from an image in the bucket; the clip lands in the bucket; a file gone from the bucket fails for good', { timeout: 180_000 }, async () => {
  const image = (await payload.create({ collection: 'media', data: { project: project.id, mediaType: 'storyboard' } as never, file: await pngFile(64, 36, 'panel.png') })) as Media
  const gone = (await payload.create({ collection: 'media', data: { project: project.id, mediaType: 'storyboard' } as never, file: await pngFile(64, 36, 'gone.png') })) as Media
  const client = new S3Client({ endpoint, region: 'auto', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } })
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: gone.filename! }))
  client.destroy()

  const video = await enqueue('video_generation', { prompt: 'pan', imageMediaId: image.id, duration: 1.5 })
  const missing = await enqueue('video_generation', { prompt: 'pan', imageMediaId: gone.id, duration: 1 })
  await startWorker({ payload, queue: createTaskQueue({ payload, leaseMs: 60_000 }), handlers: taskHandlers, workerId: 's3-test', once: true, log: () => undefined }).done

  const done = await read(video.id)
  expect(done.status, JSON.stringify(done.error)).toBe('completed')
  const clip = await readMediaFile(payload, String(done.output?.mediaId), { task: done })
  const file = path.join(s3Dir, 'clip-copy.mp4')
  writeFileSync(file, clip.data)
  expect((await probeMedia(file)).durationSeconds).toBeCloseTo(1.5, 1)
  expect(await read(missing.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_TASK_INPUT' } })
  expect((await read(missing.id)).error?.message).toContain('missing from storage')
})
