import type { AfterErrorHook } from 'payload'

import { APIError, FileRetrievalError, ValidationError as PayloadValidationError } from 'payload'

import { AppError } from './AppError'
import { databaseInputIssue } from './databaseInputIssue'
import { MethodNotAllowedError } from './MethodNotAllowedError'

export type ErrorBody = { error: { status: number; code: string; message: string; details?: unknown } }

/** Codes for Payload's own public errors (Forbidden, NotFound, LockedAuth …), which carry a status but no code. */
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

const internalError: ErrorBody = { error: { status: 500, code: 'INTERNAL_ERROR', message: 'Internal Server Error' } }

/**
 * The `{ status, code, message, details }` of any thrown value — the one mapping used by /api/v1, REST and GraphQL.
 * Unknown errors become a 500 that reveals nothing.
 */
export function toErrorBody(err: unknown): ErrorBody {
  if (err instanceof AppError && err.isPublic) {
    return { error: { status: err.status, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } }
  }
  if (err instanceof PayloadValidationError) {
    const errors = (err.data as { errors?: { path?: string; message?: string }[] } | null)?.errors ?? []
    const issues = errors.map((issue) => ({ path: issue.path ?? '', message: issue.message ?? 'Invalid value' }))
    return { error: { status: 400, code: 'VALIDATION_FAILED', message: err.message, details: { issues } } }
  }
  // A file Payload was asked to fetch from a URL (media refuse every URL but their own files): the caller's input.
  if (err instanceof FileRetrievalError) {
    return { error: { status: 400, code: 'BAD_REQUEST', message: err.message, details: { issues: [{ path: 'file', message: err.message }] } } }
  }
  const databaseIssue = databaseInputIssue(err)
  if (databaseIssue) {
    return { error: { status: 400, code: 'VALIDATION_FAILED', message: databaseIssue.message, details: { issues: databaseIssue.issues } } }
  }
  if (err instanceof APIError && err.isPublic !== false && err.status >= 400 && err.status < 500) {
    const details = err.data && typeof err.data === 'object' && Object.keys(err.data).length > 0 ? err.data : undefined
    return { error: { status: err.status, code: codeByStatus[err.status] ?? 'BAD_REQUEST', message: err.message, ...(details ? { details } : {}) } }
  }
  return internalError
}

/**
 * /api/v1: the error as an HTTP response. `log` receives the errors that became a 500 so their internals reach the
 * server log and not the client.
 */
export function toErrorResponse(err: unknown, log?: (args: { msg: string; err: unknown }) => void): Response {
  const body = toErrorBody(err)
  if (body.error.status >= 500) log?.({ msg: 'Unhandled error in /api/v1', err })
  return Response.json(body, { status: body.error.status, headers: retryAfterHeaders(err, body) })
}

/**
 * GraphQL, for errors answered before Payload's handler runs (the rate-limit wrapper, an unreadable body): the
 * GraphQL error shape, with the same body under `extensions.error` as in-operation errors get from
 * renderPayloadError.
 */
export function toGraphQLErrorResponse(err: unknown): Response {
  const body = toErrorBody(err)
  const extensions = { statusCode: body.error.status, ...(body.error.details ? { data: body.error.details } : {}), error: body.error }
  return Response.json({ errors: [{ message: body.error.message, extensions }] }, { status: body.error.status, headers: retryAfterHeaders(err, body) })
}

/** Retry-After on a 429, Allow on a 405. */
function retryAfterHeaders(err: unknown, body: ErrorBody): Headers {
  const headers = new Headers()
  const retryAfter = (err as { retryAfterSeconds?: unknown } | null)?.retryAfterSeconds
  if (body.error.status === 429 && typeof retryAfter === 'number') headers.set('Retry-After', String(retryAfter))
  if (err instanceof MethodNotAllowedError) headers.set('Allow', err.data.allowed.join(', '))
  return headers
}

/**
 * Root afterError hook: REST and GraphQL errors carry the same `{ status, code, message, details }` as /api/v1 —
 * REST beside Payload's own `errors[]` (which the admin and Payload's SDK read), GraphQL in `extensions.error`.
 * Input only the database layer rejected (see databaseInputIssue) answers 400 instead of 500.
 */
export const renderPayloadError: AfterErrorHook = ({ error, graphqlResult, result }) => {
  if (graphqlResult) {
    const original = (error as { originalError?: unknown }).originalError
    if (!original) return
    const body = toErrorBody(original)
    return {
      graphqlResult: {
        ...graphqlResult,
        message: body.error.status >= 500 ? graphqlResult.message : body.error.message,
        extensions: { ...graphqlResult.extensions, statusCode: body.error.status, error: body.error },
      },
    }
  }
  const body = toErrorBody(error)
  // GraphQL hands the hook its GraphQLError, which wraps the thrown error.
  const issue = databaseInputIssue(error) ?? databaseInputIssue((error as { originalError?: unknown }).originalError)
  const errors = issue
    ? [{ name: 'ValidationError', message: issue.message, data: { errors: issue.issues } }]
    : (result?.errors ?? [{ message: body.error.message }])
  return { status: body.error.status, response: { ...(result ?? {}), errors, ...body } }
}
