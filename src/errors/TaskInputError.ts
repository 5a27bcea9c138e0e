import { AppError } from './AppError'

/** A task whose input cannot work: failing again would not help. */
export class TaskInputError extends AppError {
  constructor(message: string) {
    super({ message, status: 422, code: 'INVALID_TASK_INPUT', retryable: false })
  }
}
