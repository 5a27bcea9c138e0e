import path from 'node:path'

import { MediaToolError } from '../errors'
import { probeMedia, type ProbedMedia, runMediaTool } from '../lib/mediaTools/mediaTools'

/**
 * The ffmpeg work of the pipeline: mixing a scene's lines into one track, cutting a scene (video + audio, exactly
 * its duration) and an episode (scene cuts in order), a frame as thumbnail, WebVTT subtitles. Every function works
 * on files in the task's temporary directory and honours the task's abort signal; each ffmpeg run has the time
 * limit of MEDIA_TOOL_TIMEOUT_MS.
 */
type Work = { dir: string; signal?: AbortSignal }

const FPS = 25
const AUDIO_RATE = 44_100
const seconds = (value: number) => value.toFixed(3)

/** Probes an input and names it in the error when it is not readable media of the expected kind (not retryable). */
export async function probeInput(file: string, { label, needs, signal }: { label: string; needs: 'video' | 'audio'; signal?: AbortSignal }): Promise<ProbedMedia> {
  let probed: ProbedMedia
  try {
    probed = await probeMedia(file, { signal })
  } catch (err) {
    if (err instanceof MediaToolError && err.retryable) throw err
    throw new MediaToolError(`${label} is corrupt or not a media file: ${(err as Error).message}`, { code: 'CORRUPT_MEDIA' })
  }
  if (!probed.streams.some((stream) => stream.codecType === needs)) {
    throw new MediaToolError(`${label} has no ${needs} stream.`, { code: 'CORRUPT_MEDIA' })
  }
  return probed
}

/**
 * One audio track `duration` long: each line's file starts at its `start` (trimmed at its `end` when given), over
 * silence; MP3. Lines are checked to be audio first.
 */
export async function mixLines({ lines, duration, dir, signal }: Work & { lines: { file: string; start: number; end?: number; label: string }[]; duration: number }) {
  for (const line of lines) await probeInput(line.file, { label: line.label, needs: 'audio', signal })
  const output = path.join(dir, 'track.mp3')
  const inputs = lines.flatMap((line) => ['-i', line.file])
  const chains = lines.map((line, index) => {
    const trim = line.end !== undefined ? `,atrim=duration=${seconds(Math.max(0.01, line.end - line.start))}` : ''
    const delayMs = Math.round(line.start * 1000)
    return `[${index}:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=mono${trim},adelay=${delayMs}|${delayMs}[l${index}]`
  })
  // A silent bed sets the length; amix divides by its inputs, so the sum is restored by volume.
  const bed = `anullsrc=r=${AUDIO_RATE}:cl=mono,atrim=duration=${seconds(duration)}[bed]`
  const mix = `[bed]${lines.map((_, index) => `[l${index}]`).join('')}amix=inputs=${lines.length + 1}:duration=first:dropout_transition=0,volume=${lines.length + 1},atrim=duration=${seconds(duration)}[out]`
  await runMediaTool(
    'ffmpeg',
    [...inputs, '-filter_complex', [bed, ...chains, mix].join(';'), '-map', '[out]', '-c:a', 'libmp3lame', '-b:a', '128k', '-ar', String(AUDIO_RATE), output],
    { signal },
  )
  return output
}

/**
 * A scene cut: the video (scaled to even sides, 25 fps, its last frame held when short) with the audio (silence
 * when none, padded when short), both cut at exactly `duration`; H.264/AAC MP4.
 */
export async function cutScene({ video, audio, duration, dir, signal }: Work & { video: string; audio?: string; duration: number }) {
  await probeInput(video, { label: 'The scene video', needs: 'video', signal })
  if (audio) await probeInput(audio, { label: 'The scene audio', needs: 'audio', signal })
  const output = path.join(dir, 'scene-cut.mp4')
  const audioInput = audio ? ['-i', audio] : ['-f', 'lavfi', '-i', `anullsrc=r=${AUDIO_RATE}:cl=stereo`]
  const filter = [
    `[0:v]scale=trunc(iw/2)*2:trunc(ih/2)*2,setsar=1,fps=${FPS},format=yuv420p,tpad=stop_mode=clone:stop_duration=${seconds(duration)},trim=duration=${seconds(duration)}[v]`,
    `[1:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo,apad,atrim=duration=${seconds(duration)}[a]`,
  ].join(';')
  await runMediaTool(
    'ffmpeg',
    [
      ...['-i', video, ...audioInput, '-filter_complex', filter, '-map', '[v]', '-map', '[a]'],
      ...['-t', seconds(duration), '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', output],
    ],
    { signal },
  )
  return output
}

/**
 * The episode cut: scene cuts concatenated in order, each scaled and padded to the first one's frame, with its
 * audio (silence for a cut without); H.264/AAC MP4. Returns the file and its ffprobe duration.
 */
export async function cutEpisode({ sceneCuts, dir, signal }: Work & { sceneCuts: { file: string; label: string }[] }) {
  const probes = []
  for (const cut of sceneCuts) probes.push(await probeInput(cut.file, { label: cut.label, needs: 'video', signal }))
  const first = probes[0].streams.find((stream) => stream.codecType === 'video')!
  const width = (first.width ?? 640) - ((first.width ?? 640) % 2)
  const height = (first.height ?? 360) - ((first.height ?? 360) % 2)
  const chains = probes.flatMap((probed, index) => {
    const hasAudio = probed.streams.some((stream) => stream.codecType === 'audio')
    return [
      `[${index}:v]scale=${width}:${height}:force_original_aspect_ratio=decrease,pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=${FPS},format=yuv420p[v${index}]`,
      hasAudio
        ? `[${index}:a]aresample=${AUDIO_RATE},aformat=sample_fmts=fltp:channel_layouts=stereo[a${index}]`
        : `anullsrc=r=${AUDIO_RATE}:cl=stereo,atrim=duration=${seconds(probed.durationSeconds)}[a${index}]`,
    ]
  })
  const concat = `${sceneCuts.map((_, index) => `[v${index}][a${index}]`).join('')}concat=n=${sceneCuts.length}:v=1:a=1[v][a]`
  const output = path.join(dir, 'episode.mp4')
  await runMediaTool(
    'ffmpeg',
    [
      ...sceneCuts.flatMap((cut) => ['-i', cut.file]),
      ...['-filter_complex', [...chains, concat].join(';'), '-map', '[v]', '-map', '[a]'],
      ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', '-movflags', '+faststart', output],
    ],
    { signal },
  )
  const probed = await probeMedia(output, { signal })
  return { file: output, durationSeconds: probed.durationSeconds }
}

/** A PNG frame of a video at `at` seconds. */
export async function frameOf({ video, at, dir, signal }: Work & { video: string; at: number }) {
  const output = path.join(dir, 'frame.png')
  await runMediaTool('ffmpeg', ['-ss', seconds(at), '-i', video, '-frames:v', '1', output], { signal })
  return output
}

export type Subtitle = { start: number; end: number; text: string; speaker?: string }

const timestamp = (value: number) => {
  const ms = Math.max(0, Math.round(value * 1000))
  const pad = (n: number, width = 2) => String(n).padStart(width, '0')
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}.${pad(ms % 1000, 3)}`
}

/** WebVTT of the subtitles in time order; a speaker becomes a voice span (`<v Name>`). Markup characters escaped. */
export function webVtt(subtitles: Subtitle[]): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  const cues = [...subtitles]
    .sort((a, b) => a.start - b.start)
    .map((cue, index) => {
      const text = escape(cue.text.replace(/\r?\n\s*\n/g, '\n').replace(/-->/g, '→').trim())
      const speaker = cue.speaker?.replace(/[<>&\n\r]/g, ' ').trim()
      return `${index + 1}\n${timestamp(cue.start)} --> ${timestamp(cue.end)}\n${speaker ? `<v ${speaker}>` : ''}${text}`
    })
  return `WEBVTT\n\n${cues.join('\n\n')}${cues.length ? '\n' : ''}`
}
