import { AppError } from './AppError'

/** The request collides with the current state (a duplicate, an illegal status change, a document with children). */
export class ConflictError extends AppError {
  constructor({ message, details }: { message: string; details?: Record<string, unknown> }) {
    super({ message, status: 409, code: 'CONFLICT', details })
  }
}
