import { APIError } from 'payload'

/**
 * Base of the app's errors: a public Payload `APIError` (so hooks and domain rules can throw it and REST, GraphQL
 * and /api/v1 all render it) with a stable machine-readable `code`. `details` is Payload's `data`: what a client
 * needs to act on the error (allowed statuses, child counts, the limit, field paths).
 */
export class AppError<TDetails extends object | null = Record<string, unknown> | null> extends APIError<TDetails> {
  readonly code: string

  constructor({ message, status, code, details }: { message: string; status: number; code: string; details?: TDetails }) {
    super(message, status, (details ?? null) as TDetails, true)
    this.code = code
  }

  get details(): TDetails | undefined {
    return this.data ?? undefined
  }
}
