import { AppError } from './AppError'

/**
 * An AI provider (fal, OpenRouter, ElevenLabs, Jina) could not give a result: not configured (no key), refused the
 * request, or kept failing after the retries. `retryable` tells the task engine whether another attempt may help.
 */
export class ProviderError extends AppError {
  static override readonly logLevel = 'error'

  readonly provider: string
  readonly retryable: boolean

  constructor({
    provider,
    message,
    code = 'PROVIDER_ERROR',
    retryable,
    upstreamStatus,
  }: {
    provider: string
    message: string
    code?: string
    retryable: boolean
    upstreamStatus?: number
  }) {
    super({ message, status: 502, code, details: { provider, ...(upstreamStatus ? { upstreamStatus } : {}) } })
    this.provider = provider
    this.retryable = retryable
  }
}
