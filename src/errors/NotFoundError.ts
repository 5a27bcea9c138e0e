import { AppError } from './AppError'

/** The resource does not exist or the caller may not see it (the two are indistinguishable on purpose). */
export class NotFoundError extends AppError {
  constructor({ resource, id }: { resource: string; id?: string }) {
    super({ message: `${resource} not found`, status: 404, code: 'NOT_FOUND', details: { resource, ...(id ? { id } : {}) } })
  }
}
