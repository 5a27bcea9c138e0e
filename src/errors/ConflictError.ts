import { AppError } from './AppError'

/** The request collides with the current state (a duplicate, an existing membership). */
export class ConflictError extends AppError {
  constructor({ message, details }: { message: string; details?: unknown }) {
    super({ message, status: 409, code: 'CONFLICT', details })
  }
}
