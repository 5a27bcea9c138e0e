import { AppError } from './AppError'

/** A failed prompt run: the worker fails the task with this code, retrying when another try may help. */
export class PromptTaskError extends AppError {
  static override readonly logLevel = 'error'

  constructor(message: string, retryable: boolean) {
    super({ message, status: 502, code: 'PROMPT_FAILED', retryable })
  }
}
