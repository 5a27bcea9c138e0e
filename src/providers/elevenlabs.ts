import { providerRequest, requireApiKey } from './providerRequest'
import { providerSettings, type ProviderSettings } from './providerSettings'

export type Audio = { data: Buffer; contentType: string }

/**
 * ElevenLabs: speech (POST /v1/text-to-speech/{voiceId}) and music (POST /v1/music), both answering audio bytes;
 * the key goes in `xi-api-key`.
 */
export function createElevenLabsClient(overrides: Partial<ProviderSettings> = {}) {
  async function audio(path: string, json: Record<string, unknown>): Promise<Audio> {
    const settings = providerSettings('elevenlabs', overrides)
    const apiKey = requireApiKey(settings)
    const response = await providerRequest({ settings, path, headers: { 'xi-api-key': apiKey, accept: 'audio/mpeg' }, json })
    return { data: response.body, contentType: response.headers.get('content-type') ?? 'audio/mpeg' }
  }
  return {
    textToSpeech: ({ voiceId, text, modelId = 'eleven_multilingual_v2' }: { voiceId: string; text: string; modelId?: string }) =>
      audio(`v1/text-to-speech/${encodeURIComponent(voiceId)}?output_format=mp3_44100_128`, { text, model_id: modelId }),
    composeMusic: ({ prompt, lengthMs }: { prompt: string; lengthMs: number }) =>
      audio('v1/music?output_format=mp3_44100_128', { prompt, music_length_ms: lengthMs, model_id: 'music_v1' }),
  }
}

export type ElevenLabsClient = ReturnType<typeof createElevenLabsClient>
