import { AppError } from './AppError'

/** A media tool that failed; `retryable` false when the input itself is the problem (the worker fails the task for good). */
export class MediaToolError extends AppError {
  static override readonly logLevel = 'error'

  constructor(message: string, { code = 'MEDIA_TOOL_FAILED', retryable = false }: { code?: string; retryable?: boolean } = {}) {
    super({ message, status: 500, code, retryable, internal: true })
  }
}
