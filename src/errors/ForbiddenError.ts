import { AppError } from './AppError'

/** The caller can see the resource but may not perform this operation on it. */
export class ForbiddenError extends AppError {
  constructor({ message = 'You are not allowed to perform this action' }: { message?: string } = {}) {
    super({ message, status: 403, code: 'FORBIDDEN' })
  }
}
