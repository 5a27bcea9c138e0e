import { AppError } from './AppError'

/** The owner's subscription does not allow more of this resource; thrown from hooks before anything is stored. */
export class QuotaExceededError extends AppError<{ limit: string; value: number | string }> {
  constructor({ limit, value, detail }: { limit: string; value: number | string; detail: string }) {
    super({ message: `Quota exceeded: ${limit} (${detail})`, status: 403, code: 'QUOTA_EXCEEDED', details: { limit, value } })
  }
}
