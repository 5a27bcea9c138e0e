import { ProviderError } from '../errors'
import { providerKeyVariable, type ProviderSettings } from './providerSettings'

/** Longest wait a Retry-After header may impose before the client gives up instead. */
const MAX_RETRY_AFTER_MS = 60_000

export type ProviderResponse = { status: number; headers: Headers; body: Buffer }

/** The key of a configured provider, or a non-retryable error naming the variable to set (never a fake result). */
export function requireApiKey(settings: ProviderSettings): string {
  if (!settings.apiKey) {
    throw new ProviderError({
      provider: settings.name,
      code: 'PROVIDER_NOT_CONFIGURED',
      message: `${settings.name} is not configured: set ${providerKeyVariable(settings.name)}.`,
      retryable: false,
    })
  }
  return settings.apiKey
}

/**
 * One call to a provider: a timeout per try, retries on 429, 5xx and network errors with exponential backoff,
 * waiting what Retry-After says when the provider says it. Other 4xx answers fail at once (not retryable).
 */
export async function providerRequest({
  settings,
  path,
  method = 'POST',
  headers = {},
  json,
  sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms)),
}: {
  settings: ProviderSettings
  /** Relative to the base URL, or an absolute URL (a result file to download). */
  path: string
  method?: string
  headers?: Record<string, string>
  json?: unknown
  sleep?: (ms: number) => Promise<unknown>
}): Promise<ProviderResponse> {
  const url = /^https?:\/\//.test(path) ? path : `${settings.baseUrl}/${path.replace(/^\/+/, '')}`
  let lastProblem = ''
  for (let attempt = 0; attempt <= settings.maxRetries; attempt++) {
    let response: Response
    try {
      response = await fetch(url, {
        method,
        headers: { ...(json !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        body: json !== undefined ? JSON.stringify(json) : undefined,
        signal: AbortSignal.timeout(settings.timeoutMs),
      })
    } catch (err) {
      const isTimeout = (err as Error).name === 'TimeoutError'
      lastProblem = isTimeout ? `no answer within ${settings.timeoutMs} ms` : `network error (${(err as Error).message})`
      if (attempt < settings.maxRetries) await sleep(backoffMs(attempt))
      continue
    }
    const body = Buffer.from(await response.arrayBuffer())
    if (response.ok) return { status: response.status, headers: response.headers, body }
    const detail = body.toString('utf8').slice(0, 300)
    if (response.status !== 429 && response.status < 500) {
      throw new ProviderError({
        provider: settings.name,
        code: 'PROVIDER_REJECTED',
        message: `${settings.name} refused the request (${response.status}): ${detail}`,
        retryable: false,
        upstreamStatus: response.status,
      })
    }
    lastProblem = `${response.status} ${detail}`
    if (attempt < settings.maxRetries) await sleep(retryAfterMs(response.headers.get('retry-after')) ?? backoffMs(attempt))
  }
  throw new ProviderError({
    provider: settings.name,
    code: 'PROVIDER_UNAVAILABLE',
    message: `${settings.name} failed after ${settings.maxRetries + 1} tries: ${lastProblem}`,
    retryable: true,
  })
}

/** 0.5 s, 1 s, 2 s, … with up to a quarter of random spread. */
function backoffMs(attempt: number): number {
  return Math.round(500 * 2 ** attempt * (1 - Math.random() / 4))
}

/** Retry-After as seconds or an HTTP date, capped; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - now
  if (!Number.isFinite(ms)) return undefined
  return Math.min(Math.max(0, ms), MAX_RETRY_AFTER_MS)
}

export function parseJson<T>(settings: ProviderSettings, response: ProviderResponse): T {
  try {
    return JSON.parse(response.body.toString('utf8')) as T
  } catch {
    throw new ProviderError({ provider: settings.name, code: 'PROVIDER_BAD_RESPONSE', message: `${settings.name} answered with invalid JSON.`, retryable: true })
  }
}
