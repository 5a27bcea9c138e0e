import { APIError } from 'payload'

export type LogLevel = 'info' | 'error'

/**
 * Base of the app's errors: a public Payload `APIError` (so hooks and domain rules can throw it and REST, GraphQL
 * and /api/v1 all render it) with a stable machine-readable `code`. `details` is Payload's `data`: what a client
 * needs to act on the error (allowed statuses, child counts, the limit, field paths). `retryable` tells the task
 * engine whether another attempt of a task that failed with it may help (src/worker/runWorker.ts, taskFailure);
 * true unless the class knows better, as for any error the engine cannot judge.
 */
export class AppError<TDetails extends object | null = Record<string, unknown> | null> extends APIError<TDetails> {
  /**
   * How Payload logs it (payload.config.ts `loggingLevels`, built by errorLoggingLevels): `info` for the caller's
   * errors (4xx, nothing wrong with the server); a class whose errors need an operator's eye says `error`.
   */
  static readonly logLevel: LogLevel = 'info'

  readonly code: string
  readonly retryable: boolean

  constructor({
    message,
    status,
    code,
    details,
    retryable = true,
    internal = false,
  }: {
    message: string
    status: number
    code: string
    details?: TDetails
    retryable?: boolean
    /** Its message is for the server log only: rendered to a client as the plain 500 (toErrorBody). */
    internal?: boolean
  }) {
    super(message, status, (details ?? null) as TDetails, !internal)
    this.code = code
    this.retryable = retryable
  }

  get details(): TDetails | undefined {
    return this.data ?? undefined
  }
}
