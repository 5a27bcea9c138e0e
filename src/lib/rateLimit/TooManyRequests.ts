import { APIError } from 'payload'

/** 429 thrown from Payload hooks; the Retry-After header is set on req.responseHeaders by enforceRateLimit. */
export class TooManyRequests extends APIError<{ retryAfterSeconds: number; policy: string }> {
  readonly retryAfterSeconds: number

  constructor({ retryAfterSeconds, policy, message }: { retryAfterSeconds: number; policy: string; message?: string }) {
    super(message ?? `Too many requests; retry after ${retryAfterSeconds} s.`, 429, { retryAfterSeconds, policy }, true)
    this.retryAfterSeconds = retryAfterSeconds
  }
}
