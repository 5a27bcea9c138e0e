import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { readFile } from 'node:fs/promises'

import type { Task } from '../../payload-types'
import { createElevenLabsClient } from '../../providers'
import { LOCAL_PROVIDER, localModel, localMusic, localSpeech, usesLocalProvider } from '../../providers/local'
import { mixLines } from '../mediaWork'
import { withTaskDir } from '../mediaFiles'
import { storeGeneratedMedia } from '../storeGeneratedMedia'
import { parameters, requireNumber, requireString, type TaskHandler } from '../taskHandler'
import { TaskInputError } from '../../errors'

export const ELEVENLABS_SPEECH_MODEL = 'eleven_multilingual_v2'

export type DialogueLine = { text: string; voiceId?: string; character?: string; emotion?: string; start: number; end?: number }

/** The scene track's lines, checked: text, a start inside the track, an end after the start. */
function linesOf(task: Task, duration: number): DialogueLine[] {
  const raw = parameters(task).lines
  if (!Array.isArray(raw)) throw new TaskInputError(`Task ${task.id}: input.parameters.lines must be a list of lines.`)
  return raw.map((line, index) => {
    const value = (line ?? {}) as Record<string, unknown>
    const where = `input.parameters.lines[${index}]`
    if (typeof value.text !== 'string' || value.text.trim() === '') throw new TaskInputError(`Task ${task.id}: ${where}.text is required.`)
    if (typeof value.start !== 'number' || !Number.isFinite(value.start) || value.start < 0 || value.start >= duration) {
      throw new TaskInputError(`Task ${task.id}: ${where}.start must be a number of seconds within the track (0 to ${duration}).`)
    }
    if (value.end !== undefined && (typeof value.end !== 'number' || !(value.end > value.start))) {
      throw new TaskInputError(`Task ${task.id}: ${where}.end must be after its start.`)
    }
    for (const key of ['voiceId', 'character', 'emotion'] as const) {
      if (value[key] !== undefined && typeof value[key] !== 'string') throw new TaskInputError(`Task ${task.id}: ${where}.${key} must be text.`)
    }
    return value as DialogueLine
  })
}

/**
 * audio_generation, three forms:
 * - a scene track: { lines: [{ text, voiceId?, character?, start, end? }], duration, voiceId? } → each line spoken
 *   (ElevenLabs in its voice, else the task's voiceId or ELEVENLABS_DEFAULT_VOICE_ID; locally a synthesized voice
 *   per voiceId/character) and placed at its start over silence, one MP3 `duration` long (needs ffmpeg);
 * - one utterance: { text, voiceId } → the speech as is;
 * - music: { kind: 'music', prompt, lengthMs? }.
 */
export const audioHandler: TaskHandler = {
  taskType: 'audio_generation',
  // Scene tracks are mixed with ffmpeg whatever the provider.
  needsMediaTools: () => true,
  async run({ task, context }) {
    const isLocal = usesLocalProvider()
    const provider = isLocal ? LOCAL_PROVIDER : ('elevenlabs' as const)
    const store = (file: { data: Buffer; mimeType: string; extension: string }, { mediaType, model, prompt }: { mediaType: 'audio_clip' | 'music_track'; model: string; prompt: string }) =>
      storeGeneratedMedia({
        payload: context.payload,
        task,
        workerId: context.workerId,
        file: { data: file.data, mimeType: file.mimeType, name: `${task.id}.${file.extension}` },
        mediaType,
        provider,
        model,
        prompt,
      })

    if (parameters(task).lines !== undefined) {
      const duration = requireNumber(task, 'duration', { min: 0.1, max: 3600 })
      const lines = linesOf(task, duration)
      // A line without its character's voice: the task's voiceId, else the deployment's default ElevenLabs voice.
      const defaultVoice = typeof parameters(task).voiceId === 'string' ? (parameters(task).voiceId as string) : process.env.ELEVENLABS_DEFAULT_VOICE_ID || undefined
      const client = isLocal ? undefined : createElevenLabsClient()
      const model = isLocal ? localModel('speech') : ELEVENLABS_SPEECH_MODEL
      const media = await withTaskDir(task, async (dir) => {
        const placed = []
        for (const [index, line] of lines.entries()) {
          context.reportProgress({ percentage: Math.round((index / Math.max(1, lines.length)) * 70), currentStep: `speaking line ${index + 1} of ${lines.length}` })
          const voiceId = line.voiceId ?? defaultVoice
          let speech: { data: Buffer; extension: string }
          if (client) {
            if (!voiceId) {
              throw new TaskInputError(`Task ${task.id}: input.parameters.lines[${index}] has no voiceId (and neither the task nor ELEVENLABS_DEFAULT_VOICE_ID names one).`)
            }
            speech = { data: (await client.textToSpeech({ voiceId, text: line.text })).data, extension: 'mp3' }
          } else {
            const seconds = line.end !== undefined ? line.end - line.start : undefined
            speech = { data: (await localSpeech({ text: line.text, voiceId: voiceId ?? line.character ?? 'narrator', seconds })).data, extension: 'wav' }
          }
          const file = path.join(dir, `line-${index}.${speech.extension}`)
          await writeFile(file, speech.data)
          placed.push({ file, start: line.start, end: line.end, label: `The speech of line ${index + 1}` })
        }
        context.reportProgress({ percentage: 80, currentStep: 'mixing the track' })
        const track = await mixLines({ lines: placed, duration, dir, signal: context.signal })
        return store({ data: await readFile(track), mimeType: 'audio/mpeg', extension: 'mp3' }, { mediaType: 'audio_clip', model, prompt: lines.map((line) => line.text).join('\n') })
      })
      return { mediaId: media.id, result: { provider, kind: 'track', lines: lines.length, duration } }
    }

    const isMusic = parameters(task).kind === 'music'
    const prompt = requireString(task, isMusic ? 'prompt' : 'text')
    context.reportProgress({ percentage: 10, currentStep: isMusic ? 'composing' : 'speaking' })
    const lengthMs = isMusic ? requireNumber(task, 'lengthMs', { min: 500, max: 600_000, fallback: 30_000 }) : 0
    let file: { data: Buffer; mimeType: string; extension: string }
    if (isLocal) {
      const audio = isMusic ? localMusic({ prompt, lengthMs }) : await localSpeech({ text: prompt, voiceId: String(parameters(task).voiceId ?? 'narrator') })
      file = { data: audio.data, mimeType: audio.mimeType, extension: 'wav' }
    } else {
      const client = createElevenLabsClient()
      const audio = isMusic ? await client.composeMusic({ prompt, lengthMs }) : await client.textToSpeech({ voiceId: requireString(task, 'voiceId'), text: prompt })
      file = { data: audio.data, mimeType: audio.contentType, extension: 'mp3' }
    }
    const model = isLocal ? localModel(isMusic ? 'music' : 'speech') : isMusic ? 'music_v1' : ELEVENLABS_SPEECH_MODEL
    const media = await store(file, { mediaType: isMusic ? 'music_track' : 'audio_clip', model, prompt })
    return { mediaId: media.id, result: { provider, kind: isMusic ? 'music' : 'voice' } }
  },
}
