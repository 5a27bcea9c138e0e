import { APIError, ValidationError as PayloadValidationError } from 'payload'

import { QuotaExceeded } from '../access/quotas'
import { AppError } from './AppError'
import { databaseInputIssue } from './databaseInputIssue'

export type ErrorBody = { error: { status: number; code: string; message: string; details?: unknown } }

const codeByStatus: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  423: 'LOCKED',
  429: 'RATE_LIMITED',
}

/** The JSON body (and status) for any thrown value; unknown errors become a 500 that reveals nothing. */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError) {
    return { error: { status: err.status, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }
  }
  if (err instanceof PayloadValidationError) {
    const errors = (err.data as { errors?: { path?: string; message?: string }[] } | null)?.errors ?? []
    const issues = errors.map((issue) => ({ path: issue.path ?? '', message: issue.message ?? 'Invalid value' }))
    return { error: { status: 400, code: 'VALIDATION_FAILED', message: err.message, details: { issues } } }
  }
  if (err instanceof QuotaExceeded) {
    return { error: { status: 403, code: 'QUOTA_EXCEEDED', message: err.message, details: err.data } }
  }
  const databaseIssue = databaseInputIssue(err)
  if (databaseIssue) {
    return { error: { status: 400, code: 'VALIDATION_FAILED', message: databaseIssue.message, details: { issues: databaseIssue.issues } } }
  }
  if (err instanceof APIError && err.isPublic && err.status >= 400 && err.status < 500) {
    return { error: { status: err.status, code: codeByStatus[err.status] ?? 'BAD_REQUEST', message: err.message } }
  }
  return { error: { status: 500, code: 'INTERNAL_ERROR', message: 'Internal Server Error' } }
}

/**
 * The one place errors become HTTP: typed app errors, Payload's APIError/ValidationError, anything else as 500.
 * `log` receives the errors that became a 500 so their internals reach the server log and not the client.
 */
export function toErrorResponse(err: unknown, log?: (args: { msg: string; err: unknown }) => void): Response {
  const body = toErrorBody(err)
  if (body.error.status >= 500) log?.({ msg: 'Unhandled error in /api/v1', err })
  const headers = new Headers()
  const retryAfter = (err as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds
  if (body.error.status === 429 && typeof retryAfter === 'number') headers.set('Retry-After', String(retryAfter))
  return Response.json(body, { status: body.error.status, headers })
}
