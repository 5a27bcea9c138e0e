import { AppError } from './AppError'

/**
 * A request Payload would otherwise take apart badly (a malformed `sort` or `where`, document data that is not an
 * object): 400 with the message, and `details` (Payload's `data`) when there are field paths to name.
 */
export class BadRequestError extends AppError {
  constructor({ message, details }: { message: string; details?: Record<string, unknown> }) {
    super({ message, status: 400, code: 'BAD_REQUEST', details })
  }
}
