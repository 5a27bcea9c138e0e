import { AppError } from './AppError'

/**
 * What the task engine records of a handler's error: the family's `code` and `retryable`. Anything else (a bug, a
 * network or system error) is retried, under its own code when it carries one (ECONNRESET …), else HANDLER_ERROR.
 */
export function taskFailure(err: unknown): { code: string; message: string; retryable: boolean } {
  if (err instanceof AppError) return { code: err.code, message: err.message, retryable: err.retryable }
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown }
  return {
    code: typeof code === 'string' ? code : 'HANDLER_ERROR',
    message: typeof message === 'string' ? message : String(err),
    retryable: true,
  }
}
