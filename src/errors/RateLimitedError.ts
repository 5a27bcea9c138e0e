import { AppError } from './AppError'

/**
 * Too many requests for a rate-limit policy; `retryAfterSeconds` becomes the Retry-After header (set on
 * req.responseHeaders by enforceRateLimit for REST and GraphQL, and by toErrorResponse for route handlers).
 */
export class RateLimitedError extends AppError<{ retryAfterSeconds: number; policy: string }> {
  readonly retryAfterSeconds: number

  constructor({ retryAfterSeconds, policy, message }: { retryAfterSeconds: number; policy: string; message?: string }) {
    super({
      message: message ?? `Too many requests; retry after ${retryAfterSeconds} s.`,
      status: 429,
      code: 'RATE_LIMITED',
      details: { retryAfterSeconds, policy },
    })
    this.retryAfterSeconds = retryAfterSeconds
  }
}
