import type { AppError } from '../errors'

import { retriesSpent, retryTransient } from '../db/transientRetry'
import { payloadErrorResponse } from './guardJsonBody'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response

/**
 * Wraps Payload's REST and GraphQL route handlers (which render errors into the response, so no error reaches this
 * wrapper): a request whose operation met a transient transaction error on MongoDB (a WriteConflict with a
 * concurrent write, a duplicate key reported as 112 inside the transaction) and committed nothing is run again on a
 * copy of the request, a few times with jitter (src/db/transientRetry.ts); once the retries are spent it answers 409
 * instead of Payload's 500. Inert on FerretDB, which has no transactions and never raises these errors.
 */
export function withTransientRetry<C>(
  handler: RouteHandler<C>,
  {
    renderError = payloadErrorResponse,
    // REST: a 5xx is the failure. GraphQL answers 200 with `errors[]`, so any answer of an attempt that met a
    // transient error and committed nothing is retried.
    failed = (response) => response.status >= 500,
  }: { renderError?: (err: AppError) => Response; failed?: (response: Response) => boolean } = {},
): RouteHandler<C> {
  return (request, context) => {
    // An upload is not copied for a second attempt (the copy would hold the whole file in memory): it runs once.
    if ((request.headers.get('content-type') ?? '').includes('multipart/')) return handler(request, context)
    return retryTransient(async () => handler(request.clone(), context), { failed, spent: () => renderError(retriesSpent()) })
  }
}
