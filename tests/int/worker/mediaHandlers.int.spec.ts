import type { Payload } from 'payload'

import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Media, Project, Task, User } from '../../../src/payload-types'

import { probeMedia, runMediaTool } from '../../../src/lib/mediaTools/mediaTools'
import { frameSize } from '../../../src/providers/local'
import { createTaskQueue, type TaskQueue } from '../../../src/queue/taskQueue'
import { taskHandlers } from '../../../src/worker/handlers'
import { readMediaFile, TASK_DIR_PREFIX } from '../../../src/worker/mediaFiles'
import { startWorker } from '../../../src/worker/runWorker'
import { pngFile } from '../../helpers/files'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The media handlers on the real database with AI_PROVIDER=local: real images, clips, tracks and cuts made on this
 * machine, checked with ffprobe and sharp.
 */
let payload: Payload
let cleanup: () => Promise<void>
let project: Project
let queue: TaskQueue
let scratch: string
const taskIds: string[] = []
let sceneId: string
let episodeId: string

beforeAll(async () => {
  process.env.AI_PROVIDER = 'local'
  process.env.LOCAL_SPEECH = 'tones'
  delete process.env.FFMPEG_PATH
  delete process.env.FFPROBE_PATH
  ;({ payload, cleanup } = await createTestPayload('mediaHandlers'))
  const owner = (await fixtures(payload).user()) as User
  project = (await fixtures(payload).project(owner.id)) as Project
  // Targets name real documents of the project (checked at enqueue).
  const episode = await fixtures(payload).episode(project.id, 1)
  episodeId = episode.id
  sceneId = (await fixtures(payload).scene(project.id, episode.id, 1, { storyboard: { panels: [{ description: 'door' }, { description: 'door again' }, { description: 'door, no reference' }] } })).id
  queue = createTaskQueue({ payload, leaseMs: 60_000 })
  scratch = await mkdtemp(path.join(os.tmpdir(), 'media-handlers-test-'))
})
afterAll(async () => {
  delete process.env.AI_PROVIDER
  await rm(scratch, { recursive: true, force: true })
  await cleanup?.()
})

const enqueue = async (taskType: Task['taskType'], parameters: Record<string, unknown>) => {
  const task = (await payload.create({ collection: 'tasks', data: { project: project.id, taskType, input: { parameters } } as never })) as Task
  taskIds.push(task.id)
  return task
}
const read = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as Task
const runAll = async (lines: string[] = []) => {
  const worker = startWorker({ payload, queue, handlers: taskHandlers, workerId: 'media-test', once: true, log: (line) => lines.push(line) })
  await worker.done
  return lines
}
const mediaOf = async (task: Task) => {
  const done = await read(task.id)
  expect(done.status, JSON.stringify(done.error)).toBe('completed')
  return (await payload.findByID({ collection: 'media', id: String(done.output?.mediaId), depth: 0 })) as Media
}
/** The stored file of a media, copied to the scratch dir for ffprobe. */
const fileOf = async (mediaId: string, task: Task) => {
  const file = await readMediaFile(payload, mediaId, { task })
  const target = path.join(scratch, `${mediaId}-${file.filename}`)
  await writeFile(target, file.data)
  return { path: target, ...file }
}
/** Mean absolute level of a file's audio between two times (decoded to 8 kHz mono PCM). */
const levelBetween = async (file: string, from: number, to: number) => {
  const raw = path.join(scratch, `level-${from}-${to}-${path.basename(file)}.raw`)
  await runMediaTool('ffmpeg', ['-i', file, '-ss', String(from), '-t', String(to - from), '-ac', '1', '-ar', '8000', '-f', 's16le', raw])
  const pcm = await readFile(raw)
  let sum = 0
  for (let offset = 0; offset + 2 <= pcm.length; offset += 2) sum += Math.abs(pcm.readInt16LE(offset))
  return sum / Math.max(1, pcm.length / 2)
}

let still: Media
let stillTask: Task
let clip: Media
let track: Media
let sceneCuts: Media[] = []

describe('AI_PROVIDER=local', () => {
  it('images: the prompt on a colour field at each aspect ratio, deterministic, with reference images read from storage', { timeout: 180_000 }, async () => {
    const reference = (await payload.create({
      collection: 'media',
      data: { project: project.id, mediaType: 'character_design' } as never,
      file: await pngFile(32, 32, 'design.png'),
    })) as Media
    const wide = await enqueue('image_generation', { prompt: 'Mara opens the lighthouse door.', aspectRatio: '16:9', referenceMediaIds: [reference.id], target: { collection: 'scenes', id: sceneId, slot: 'storyboard.panels.image', panel: 0 } })
    const classic = await enqueue('image_generation', { prompt: 'The lamp turns.', aspectRatio: '4:3' })
    const scope = await enqueue('image_generation', { prompt: 'The sea at night.', aspectRatio: '21:9' })
    const again = await enqueue('image_generation', { prompt: 'Mara opens the lighthouse door.', aspectRatio: '16:9', referenceMediaIds: [reference.id], target: { collection: 'scenes', id: sceneId, slot: 'storyboard.panels.image', panel: 1 } })
    const unreferenced = await enqueue('image_generation', { prompt: 'Mara opens the lighthouse door.', aspectRatio: '16:9', target: { collection: 'scenes', id: sceneId, slot: 'storyboard.panels.image', panel: 2 } })
    await runAll()

    for (const [task, ratio] of [[wide, '16:9'], [classic, '4:3'], [scope, '21:9']] as const) {
      const media = await mediaOf(task)
      expect(media).toMatchObject({ mimeType: 'image/png', agentGenerated: true, generationMetadata: { provider: 'custom', modelVersion: 'local/image', taskId: task.id } })
      expect({ width: media.width, height: media.height }).toEqual(frameSize[ratio])
    }
    expect((await read(wide.id)).output?.result).toMatchObject({ referenceMediaIds: [reference.id] })
    // Same prompt, scene and references: the same picture; without the reference inset, another one.
    stillTask = wide
    still = await mediaOf(wide)
    const first = await readMediaFile(payload, still.id, { task: wide })
    const second = await readMediaFile(payload, (await mediaOf(again)).id, { task: again })
    expect(first.data.equals(second.data)).toBe(true)
    expect(first.data.equals((await readMediaFile(payload, (await mediaOf(unreferenced)).id, { task: unreferenced })).data)).toBe(false)
    expect(first.data.equals((await readMediaFile(payload, (await mediaOf(classic)).id, { task: classic })).data)).toBe(false)
  })

  it('video: image-to-video from the stored image, H.264, as long as asked', { timeout: 180_000 }, async () => {
    const task = await enqueue('video_generation', { prompt: 'Mara opens the door', imageMediaId: still.id, duration: 3, aspectRatio: '16:9' })
    await runAll()
    clip = await mediaOf(task)
    expect(clip).toMatchObject({ mimeType: 'video/mp4', mediaType: 'video_segment', generationMetadata: { provider: 'custom', modelVersion: 'local/video' } })
    const probed = await probeMedia((await fileOf(clip.id, task)).path)
    expect(probed.durationSeconds).toBeCloseTo(3, 1)
    expect(probed.streams).toEqual([expect.objectContaining({ codecType: 'video', codecName: 'h264', width: 640, height: 360 })])
  })

  it('scene track: each line placed at its start over silence, one MP3 as long as the scene', { timeout: 180_000 }, async () => {
    const task = await enqueue('audio_generation', {
      duration: 4,
      lines: [
        { text: 'Who keeps the light?', character: 'Mara', voiceId: 'voice-mara', start: 0.5, end: 1.5 },
        { text: 'I do, every night.', character: 'Tom', start: 2.5 },
      ],
    })
    await runAll()
    track = await mediaOf(task)
    expect(track).toMatchObject({ mimeType: 'audio/mpeg', mediaType: 'audio_clip', generationMetadata: { provider: 'custom', modelVersion: 'local/speech' } })
    const file = await fileOf(track.id, task)
    const probed = await probeMedia(file.path)
    expect(probed.durationSeconds).toBeGreaterThan(3.9)
    expect(probed.durationSeconds).toBeLessThan(4.15)
    expect(probed.streams.map((stream) => stream.codecType)).toEqual(['audio'])
    // Silence before the first line and between the lines, speech where they are.
    expect(await levelBetween(file.path, 0, 0.4)).toBeLessThan(50)
    expect(await levelBetween(file.path, 0.6, 1.4)).toBeGreaterThan(500)
    expect(await levelBetween(file.path, 1.7, 2.4)).toBeLessThan(50)
    expect(await levelBetween(file.path, 2.6, 3.5)).toBeGreaterThan(500)
  })

  it('scene cut: video + audio → H.264/AAC MP4 exactly the scene duration (held frame, padded audio); without audio silence', { timeout: 240_000 }, async () => {
    const withAudio = await enqueue('scene_assembly', { kind: 'scene', videoMediaId: clip.id, audioMediaId: track.id, duration: 5 })
    const trimmed = await enqueue('scene_assembly', { kind: 'scene', videoMediaId: clip.id, duration: 2 })
    await runAll()
    sceneCuts = [await mediaOf(withAudio), await mediaOf(trimmed)]
    for (const [cut, task, seconds] of [[sceneCuts[0], withAudio, 5], [sceneCuts[1], trimmed, 2]] as const) {
      expect(cut).toMatchObject({ mimeType: 'video/mp4', mediaType: 'video_segment' })
      const probed = await probeMedia((await fileOf(cut.id, task)).path)
      expect(Math.abs(probed.durationSeconds - seconds)).toBeLessThan(0.1)
      expect(probed.streams.map((stream) => `${stream.codecType}:${stream.codecName}`).sort()).toEqual(['audio:aac', 'video:h264'])
      for (const stream of probed.streams) expect(Math.abs((stream.durationSeconds ?? 0) - seconds)).toBeLessThan(0.1)
    }
  })

  it('episode cut: scene cuts in order → final MP4 (ffprobe duration), a thumbnail frame and WebVTT subtitles', { timeout: 240_000 }, async () => {
    const task = await enqueue('scene_assembly', {
      kind: 'episode',
      sceneCutMediaIds: sceneCuts.map((cut) => cut.id),
      subtitles: [
        { start: 0.5, end: 1.5, text: 'Who keeps the light?', speaker: 'Mara' },
        { start: 2.5, end: 3.8, text: 'I do, every night. <b>&</b>' },
      ],
      target: { collection: 'episodes', id: episodeId, slot: 'metadata.finalVideo' },
    })
    await runAll()
    const final = await mediaOf(task)
    const done = await read(task.id)
    const result = done.output?.result as { durationSeconds: number; thumbnailMediaId: string; subtitlesMediaId: string }
    expect(final).toMatchObject({ mimeType: 'video/mp4', mediaType: 'final_video' })
    const probed = await probeMedia((await fileOf(final.id, task)).path)
    expect(Math.abs(probed.durationSeconds - 7)).toBeLessThan(0.5)
    expect(result.durationSeconds).toBe(probed.durationSeconds)
    expect(probed.streams.map((stream) => stream.codecType).sort()).toEqual(['audio', 'video'])

    const thumbnail = (await payload.findByID({ collection: 'media', id: result.thumbnailMediaId, depth: 0 })) as Media
    expect(thumbnail).toMatchObject({ mimeType: 'image/png', mediaType: 'concept_art', width: 640, height: 360 })
    const subtitles = (await payload.findByID({ collection: 'media', id: result.subtitlesMediaId, depth: 0 })) as Media
    expect(subtitles).toMatchObject({ mimeType: 'text/vtt', mediaType: 'final_video' })
    expect((await readMediaFile(payload, subtitles.id, { task })).data.toString('utf8')).toBe(
      'WEBVTT\n\n1\n00:00:00.500 --> 00:00:01.500\n<v Mara>Who keeps the light?\n\n2\n00:00:02.500 --> 00:00:03.800\nI do, every night. &lt;b&gt;&amp;&lt;/b&gt;\n',
    )
  })

  it('one utterance, music, a script and an embedding: all local, no key needed', { timeout: 180_000 }, async () => {
    const voice = await enqueue('audio_generation', { text: 'Hello there, keeper.', voiceId: 'v1' })
    const music = await enqueue('audio_generation', { kind: 'music', prompt: 'calm sea', lengthMs: 3_000 })
    const script = await enqueue('script_generation', { prompt: 'Write the cold open. A storm hits the harbour.' })
    const embedding = await enqueue('embedding_generation', { mediaId: still.id, text: 'a lighthouse door' })
    await runAll()
    for (const [task, mediaType, model] of [[voice, 'audio_clip', 'local/speech'], [music, 'music_track', 'local/music']] as const) {
      const media = await mediaOf(task)
      expect(media).toMatchObject({ mediaType, mimeType: expect.stringMatching(/^audio\//), generationMetadata: { provider: 'custom', modelVersion: model } })
      expect((await probeMedia((await fileOf(media.id, task)).path)).streams[0].codecType).toBe('audio')
    }
    expect(await read(script.id)).toMatchObject({ status: 'completed', output: { result: { model: 'local/chat' }, metrics: { cost: 0 } } })
    expect(((await read(script.id)).output?.result as { text: string }).text).toContain('A storm hits the harbour.')
    expect((await read(embedding.id)).status).toBe('completed')
    const vector = ((await payload.findByID({ collection: 'media', id: still.id, depth: 0 })) as Media & { embedding?: number[] }).embedding ?? []
    expect(vector).toHaveLength(1024)
    expect(Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0))).toBeCloseTo(1, 5)
  })

  it('a corrupt input fails the task for good with a clear error', { timeout: 180_000 }, async () => {
    const broken = (await payload.create({
      collection: 'media',
      data: { project: project.id, mediaType: 'video_segment' } as never,
      file: { data: await readFile((await fileOf(clip.id, stillTask)).path), mimetype: 'video/mp4', name: 'broken.mp4', size: 0 },
    })) as Media
    // The stored file is damaged afterwards (a bad upload, a broken copy): the header survives, the rest is noise.
    const staticDir = payload.collections.media.config.upload.staticDir!
    await writeFile(path.join(staticDir, broken.filename!), Buffer.concat([Buffer.from('not a video at all'), Buffer.alloc(4096, 7)]))
    const task = await enqueue('scene_assembly', { kind: 'scene', videoMediaId: broken.id, duration: 2 })
    const missing = await enqueue('video_generation', { prompt: 'x', imageMediaId: '0123456789abcdef01234567', duration: 1 })
    const lines = await runAll()
    // Failed for good at its first attempt (no retry planned).
    expect(await read(task.id)).toMatchObject({ status: 'failed', error: { code: 'CORRUPT_MEDIA', retryCount: 1 } })
    expect((await read(task.id)).error?.message).toMatch(/scene video is corrupt or not a media file/i)
    expect(await read(missing.id)).toMatchObject({ status: 'failed', error: { code: 'INVALID_TASK_INPUT', retryCount: 1 } })
    expect((await read(missing.id)).error?.message).toContain('does not exist')
    expect(lines.filter((line) => line.includes(`task=${task.id}`)).map((line) => line.split(' ')[4])).toEqual(['claimed', 'failed'])
  })

  it('removes every temporary directory of its tasks', async () => {
    const left = (await readdir(os.tmpdir())).filter((name) => name.startsWith(TASK_DIR_PREFIX) && taskIds.some((id) => name.includes(id)))
    expect(taskIds.length).toBeGreaterThan(8)
    expect(left).toEqual([])
  })

  it('a worker without ffmpeg does not claim scene_assembly (and says so), but still runs image tasks', { timeout: 180_000 }, async () => {
    const assembly = await enqueue('scene_assembly', { kind: 'scene', videoMediaId: clip.id, duration: 1 })
    const image = await enqueue('image_generation', { prompt: 'Still works.' })
    process.env.FFMPEG_PATH = path.join(scratch, 'no-ffmpeg-here')
    try {
      const lines = await runAll()
      expect(lines[0]).toMatch(/media-tools-missing not claiming .*scene_assembly.*ffmpeg/)
      expect((await read(assembly.id)).status).toBe('queued')
      expect((await read(image.id)).status).toBe('completed')
    } finally {
      delete process.env.FFMPEG_PATH
    }
    await runAll()
    expect((await read(assembly.id)).status).toBe('completed')
  })
})
