/** The four AI providers of the spec, each with its API base URL and key from the environment (.env.example). */
export type ProviderName = 'fal' | 'openrouter' | 'elevenlabs' | 'jina'

export type ProviderSettings = {
  name: ProviderName
  baseUrl: string
  apiKey: string | undefined
  /** Per request, retries included in neither. */
  timeoutMs: number
  /** Retries on 429, 5xx and network errors. */
  maxRetries: number
}

const defaults: Record<ProviderName, { baseUrl: string; urlVar: string; keyVar: string }> = {
  fal: { baseUrl: 'https://fal.run', urlVar: 'FAL_BASE_URL', keyVar: 'FAL_KEY' },
  openrouter: { baseUrl: 'https://openrouter.ai/api/v1', urlVar: 'OPENROUTER_BASE_URL', keyVar: 'OPENROUTER_API_KEY' },
  elevenlabs: { baseUrl: 'https://api.elevenlabs.io', urlVar: 'ELEVENLABS_BASE_URL', keyVar: 'ELEVENLABS_API_KEY' },
  jina: { baseUrl: 'https://api.jina.ai', urlVar: 'JINA_BASE_URL', keyVar: 'JINA_API_KEY' },
}

/** Read at call time, so a key set after start-up (or by a test) is seen. */
export function providerSettings(name: ProviderName, overrides: Partial<ProviderSettings> = {}): ProviderSettings {
  const { baseUrl, urlVar, keyVar } = defaults[name]
  return {
    name,
    baseUrl: (process.env[urlVar] || baseUrl).replace(/\/+$/, ''),
    apiKey: process.env[keyVar] || undefined,
    timeoutMs: Number(process.env.PROVIDER_TIMEOUT_MS || 120_000),
    maxRetries: Number(process.env.PROVIDER_MAX_RETRIES ?? 3),
    ...overrides,
  }
}

export const providerKeyVariable = (name: ProviderName) => defaults[name].keyVar
