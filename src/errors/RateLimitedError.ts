import { AppError } from './AppError'

/** Too many requests; `retryAfterSeconds` becomes the Retry-After header. */
export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number

  constructor({ retryAfterSeconds }: { retryAfterSeconds: number }) {
    super({ message: 'Too many requests', status: 429, code: 'RATE_LIMITED', details: { retryAfterSeconds } })
    this.retryAfterSeconds = retryAfterSeconds
  }
}
