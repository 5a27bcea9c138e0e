import { AppError } from './AppError'

/** The caller's subscription does not allow more of this resource. */
export class QuotaExceededError extends AppError {
  constructor({ quota, limit }: { quota: string; limit: number }) {
    super({ message: `Quota exceeded: ${quota} (limit ${limit})`, status: 403, code: 'QUOTA_EXCEEDED', details: { quota, limit } })
  }
}
