import { ProviderError } from '../errors'
import { parseJson, providerRequest, requireApiKey } from './providerRequest'
import { providerSettings, type ProviderSettings } from './providerSettings'

export type FalFile = { url: string; contentType: string | null; width?: number; height?: number }

export type FalResult = {
  /** Every file the model returned (images[], image, video, audio), in order. */
  files: FalFile[]
  /** The whole JSON answer (seed, timings, has_nsfw_concepts …). */
  raw: Record<string, unknown>
}

type FalFileJson = { url?: string; content_type?: string; width?: number; height?: number }

/**
 * fal (image and video models, e.g. fal-ai/nano-banana): synchronous runs, POST {FAL_BASE_URL}/{model} with the
 * model's input and `Authorization: Key <FAL_KEY>`. `download` fetches a result file.
 */
export function createFalClient(overrides: Partial<ProviderSettings> = {}) {
  return {
    async run({ model, input }: { model: string; input: Record<string, unknown> }): Promise<FalResult> {
      const settings = providerSettings('fal', overrides)
      const apiKey = requireApiKey(settings)
      const response = await providerRequest({ settings, path: model, headers: { authorization: `Key ${apiKey}` }, json: input })
      const raw = parseJson<Record<string, unknown>>(settings, response)
      return { files: collectFiles(raw), raw }
    },

    async download(url: string): Promise<{ data: Buffer; contentType: string | null }> {
      const settings = providerSettings('fal', overrides)
      const response = await providerRequest({ settings, path: url, method: 'GET' })
      return { data: response.body, contentType: response.headers.get('content-type') }
    },
  }
}

function collectFiles(raw: Record<string, unknown>): FalFile[] {
  const candidates: FalFileJson[] = []
  if (Array.isArray(raw.images)) candidates.push(...(raw.images as FalFileJson[]))
  for (const key of ['image', 'video', 'audio']) {
    if (raw[key] && typeof raw[key] === 'object') candidates.push(raw[key] as FalFileJson)
  }
  return candidates
    .filter((file) => typeof file?.url === 'string')
    .map((file) => ({
      url: file.url!,
      contentType: file.content_type ?? null,
      ...(file.width ? { width: file.width } : {}),
      ...(file.height ? { height: file.height } : {}),
    }))
}

/** The files of a result, or a retryable error when the model returned none. */
export function requireFiles(result: FalResult, model: string): FalFile[] {
  if (result.files.length === 0) {
    throw new ProviderError({ provider: 'fal', code: 'PROVIDER_BAD_RESPONSE', message: `fal model ${model} returned no file.`, retryable: true })
  }
  return result.files
}

export type FalClient = ReturnType<typeof createFalClient>
