import { createElevenLabsClient } from '../../providers'
import { parameters, requireString, type TaskHandler } from '../taskHandler'
import { storeGeneratedMedia } from '../storeGeneratedMedia'

/**
 * Voice and music on ElevenLabs: input.parameters { kind: 'voice', text, voiceId } or { kind: 'music', prompt,
 * lengthMs? }. The audio becomes the task's media (audio_clip or music_track).
 */
export const audioHandler: TaskHandler = {
  taskType: 'audio_generation',
  async run({ task, context }) {
    const client = createElevenLabsClient()
    const isMusic = parameters(task).kind === 'music'
    const prompt = requireString(task, isMusic ? 'prompt' : 'text')
    context.reportProgress({ percentage: 10, currentStep: isMusic ? 'composing' : 'speaking' })
    const audio = isMusic
      ? await client.composeMusic({ prompt, lengthMs: Number(parameters(task).lengthMs ?? 30_000) })
      : await client.textToSpeech({ voiceId: requireString(task, 'voiceId'), text: prompt })
    const media = await storeGeneratedMedia({
      payload: context.payload,
      task,
      workerId: context.workerId,
      file: { data: audio.data, mimeType: audio.contentType, name: `${task.id}.mp3` },
      mediaType: isMusic ? 'music_track' : 'audio_clip',
      provider: 'elevenlabs',
      model: isMusic ? 'music_v1' : 'eleven_multilingual_v2',
      prompt,
    })
    return { mediaId: media.id, result: { provider: 'elevenlabs', kind: isMusic ? 'music' : 'voice' } }
  },
}
