import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'

import type { Task } from '../../payload-types'
import { LOCAL_PROVIDER } from '../../providers/local'
import { readMediaFile, withTaskDir } from '../mediaFiles'
import { cutEpisode, cutScene, frameOf, type Subtitle, webVtt } from '../mediaWork'
import { storeGeneratedMedia } from '../storeGeneratedMedia'
import { optionalIds, parameters, requireNumber, type TaskHandler } from '../taskHandler'
import { TaskInputError } from '../../errors'

/** What assembly records as its generator: ffmpeg on the worker, no AI provider. */
const ASSEMBLY_MODEL = 'ffmpeg'

function optionalId(task: Task, name: string): string | undefined {
  const value = parameters(task)[name]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'string' || value.trim() === '') throw new TaskInputError(`Task ${task.id}: input.parameters.${name} must be a media id.`)
  return value
}

function subtitlesOf(task: Task): Subtitle[] {
  const raw = parameters(task).subtitles ?? []
  if (!Array.isArray(raw)) throw new TaskInputError(`Task ${task.id}: input.parameters.subtitles must be a list.`)
  return raw.map((cue, index) => {
    const value = (cue ?? {}) as Record<string, unknown>
    const valid =
      typeof value.text === 'string' &&
      typeof value.start === 'number' &&
      typeof value.end === 'number' &&
      value.start >= 0 &&
      value.end > value.start &&
      (value.speaker === undefined || typeof value.speaker === 'string')
    if (!valid) throw new TaskInputError(`Task ${task.id}: input.parameters.subtitles[${index}] needs text, start and an end after it (seconds).`)
    return value as Subtitle
  })
}

/**
 * scene_assembly (ffmpeg; a worker without it does not claim this type):
 * - `{ kind: 'scene', videoMediaId, audioMediaId?, duration }` → the scene cut: H.264/AAC MP4 exactly `duration`
 *   long (the video's last frame held, the audio padded with silence, or both trimmed);
 * - `{ kind: 'episode', sceneCutMediaIds, subtitles? }` → the scene cuts concatenated in order (the final video), a
 *   frame of it as thumbnail (concept_art) and WebVTT subtitles (final_video, text/vtt); result.durationSeconds is
 *   the final file's ffprobe duration.
 * Inputs come from storage into the task's temporary directory (removed afterwards); a corrupt input fails the
 * task for good (CORRUPT_MEDIA).
 */
export const sceneAssemblyHandler: TaskHandler = {
  taskType: 'scene_assembly',
  needsMediaTools: () => true,
  async run({ task, context }) {
    const { payload, signal } = context
    const kind = parameters(task).kind
    // secondary: the thumbnail and subtitles of an episode cut keep their own media type and fill no slot themselves.
    const store = (file: { data: Buffer; mimeType: string; name: string }, mediaType: 'video_segment' | 'final_video' | 'concept_art', prompt: string, secondary = false) =>
      storeGeneratedMedia({ payload, task, workerId: context.workerId, file, mediaType, secondary, provider: LOCAL_PROVIDER, model: ASSEMBLY_MODEL, prompt })

    if (kind === 'scene') {
      const duration = requireNumber(task, 'duration', { min: 0.1, max: 3600 })
      const videoId = optionalId(task, 'videoMediaId')
      if (!videoId) throw new TaskInputError(`Task ${task.id}: input.parameters.videoMediaId is required for a scene cut.`)
      const audioId = optionalId(task, 'audioMediaId')
      return withTaskDir(task, async (dir) => {
        context.reportProgress({ percentage: 10, currentStep: 'reading the clip and track' })
        const video = await readMediaFile(payload, videoId, { task, role: 'scene video' })
        const videoFile = path.join(dir, `video-${path.basename(video.filename)}`)
        await writeFile(videoFile, video.data)
        let audioFile: string | undefined
        if (audioId) {
          const audio = await readMediaFile(payload, audioId, { task, role: 'scene audio' })
          audioFile = path.join(dir, `audio-${path.basename(audio.filename)}`)
          await writeFile(audioFile, audio.data)
        }
        context.reportProgress({ percentage: 30, currentStep: 'cutting the scene' })
        const cut = await cutScene({ video: videoFile, audio: audioFile, duration, dir, signal })
        const media = await store({ data: await readFile(cut), mimeType: 'video/mp4', name: `${task.id}-scene.mp4` }, 'video_segment', `scene cut of ${videoId}${audioId ? ` + ${audioId}` : ''}`)
        return { mediaId: media.id, result: { kind: 'scene', durationSeconds: duration, videoMediaId: videoId, audioMediaId: audioId ?? null } }
      })
    }

    if (kind === 'episode') {
      const sceneCutIds = optionalIds(task, 'sceneCutMediaIds')
      if (sceneCutIds.length === 0) throw new TaskInputError(`Task ${task.id}: input.parameters.sceneCutMediaIds must name at least one scene cut.`)
      const subtitles = subtitlesOf(task)
      return withTaskDir(task, async (dir) => {
        const cuts = []
        for (const [index, id] of sceneCutIds.entries()) {
          context.reportProgress({ percentage: Math.round((index / sceneCutIds.length) * 30), currentStep: `reading scene cut ${index + 1} of ${sceneCutIds.length}` })
          const cut = await readMediaFile(payload, id, { task, role: `scene cut ${index + 1}` })
          const file = path.join(dir, `scene-${index}.mp4`)
          await writeFile(file, cut.data)
          cuts.push({ file, label: `Scene cut ${index + 1} (media ${id})` })
        }
        context.reportProgress({ percentage: 40, currentStep: 'cutting the episode' })
        const episode = await cutEpisode({ sceneCuts: cuts, dir, signal })
        context.reportProgress({ percentage: 80, currentStep: 'thumbnail and subtitles' })
        const frame = await frameOf({ video: episode.file, at: Math.min(1, episode.durationSeconds / 2), dir, signal })
        const prompt = `episode cut of ${sceneCutIds.length} scenes`
        const video = await store({ data: await readFile(episode.file), mimeType: 'video/mp4', name: `${task.id}-episode.mp4` }, 'final_video', prompt)
        const thumbnail = await store({ data: await readFile(frame), mimeType: 'image/png', name: `${task.id}-thumbnail.png` }, 'concept_art', `thumbnail of ${prompt}`, true)
        const vtt = await store({ data: Buffer.from(webVtt(subtitles), 'utf8'), mimeType: 'text/vtt', name: `${task.id}-subtitles.vtt` }, 'final_video', `subtitles of ${prompt}`, true)
        return {
          mediaId: video.id,
          result: { kind: 'episode', durationSeconds: episode.durationSeconds, thumbnailMediaId: thumbnail.id, subtitlesMediaId: vtt.id, sceneCutMediaIds: sceneCutIds },
        }
      })
    }

    throw new TaskInputError(`Task ${task.id}: input.parameters.kind must be "scene" or "episode".`)
  },
}
