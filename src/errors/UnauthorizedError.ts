import { AppError } from './AppError'

/** No valid credentials (cookie, JWT bearer or API key) came with the request. */
export class UnauthorizedError extends AppError {
  constructor({ message = 'Authentication required' }: { message?: string } = {}) {
    super({ message, status: 401, code: 'UNAUTHORIZED' })
  }
}
