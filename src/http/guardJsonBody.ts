import { AppError, toErrorBody } from '../errors'
import { jsonBodyLimitBytes, readJsonBody, readTextWithin } from './jsonBody'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response

const bodyMethods = new Set(['POST', 'PATCH', 'PUT'])

/** A typed error as Payload's REST routes answer it: Payload's `errors[]` beside the error family's `error`. */
export function payloadErrorResponse(err: AppError): Response {
  const issues = (err.details as { issues?: { path: string; message: string }[] } | undefined)?.issues
  const data = issues ? { errors: issues } : err.details
  return Response.json({ errors: [{ name: err.name, message: err.message, data }], ...toErrorBody(err) }, { status: err.status })
}

/**
 * Wraps Payload's REST and GraphQL route handlers: a body that is not a form (multipart uploads, urlencoded queries) is
 * read as JSON within the body limit (413) and depth limit (400), and must be a JSON object (400 for null, a
 * string, a number or an array: Payload would otherwise pass it on as the document's data and fail with 500). An
 * empty body stands for `{}`. The handler then gets the same JSON, declared as JSON. A urlencoded body (Payload's
 * `X-Payload-HTTP-Method-Override: GET`, a query string sent as a body, which Payload reads whole) is read within the
 * same byte limit and passed on as it came; multipart uploads keep their own limits (MEDIA_MAX_UPLOAD_BYTES).
 */
export function guardJsonBody<C>(
  handler: RouteHandler<C>,
  /** How the route renders a refused body (GraphQL: `errors[].extensions.error`); REST's shape by default. */
  renderError: (err: AppError) => Response = payloadErrorResponse,
): RouteHandler<C> {
  return async (request, context) => {
    const contentType = request.headers.get('content-type') ?? ''
    // Uploads (multipart) have their own limits; a urlencoded body is a query string (Payload's method override).
    const isUrlEncoded = contentType.includes('application/x-www-form-urlencoded')
    if (!bodyMethods.has(request.method) || contentType.includes('multipart/')) return handler(request, context)
    if (isUrlEncoded) {
      let text: string
      try {
        text = await readTextWithin(request, jsonBodyLimitBytes())
      } catch (err) {
        if (err instanceof AppError) return renderError(err)
        throw err
      }
      const headers = new Headers(request.headers)
      headers.delete('content-length')
      return handler(new Request(request.url, { method: request.method, headers, body: text, signal: request.signal }), context)
    }
    let body: unknown
    try {
      body = await readJsonBody(request, { requireObject: true })
    } catch (err) {
      if (err instanceof AppError) return renderError(err)
      throw err
    }
    const headers = new Headers(request.headers)
    headers.set('content-type', 'application/json')
    headers.delete('content-length')
    const forwarded = new Request(request.url, { method: request.method, headers, body: JSON.stringify(body ?? {}), signal: request.signal })
    return handler(forwarded, context)
  }
}
