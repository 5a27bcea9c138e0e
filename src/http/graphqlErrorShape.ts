import { AppError, MethodNotAllowedError, QueryLimitError, toErrorBody, ValidationError } from '../errors'

type RouteHandler<C> = (request: Request, context: C) => Promise<Response> | Response
type GraphQLErrorEntry = { message?: unknown; extensions?: Record<string, unknown> } & Record<string, unknown>

/**
 * Wraps Payload's GraphQL route so that every error it answers carries `extensions.error` (`{ status, code,
 * message, details }`, docs/API.md "Errors"), not only those Payload's afterError hook renders (thrown errors,
 * src/errors renderPayloadError). graphql-http answers some on its own, before any hook: a document that does not
 * parse or does not validate against the schema (an unknown field, Payload's complexity rule), a mutation sent by
 * GET (405). Those get the error family's body for what they are (a request error: 400 in `extensions.error`,
 * whatever HTTP status graphql-http chose); a response that already has it is left as is.
 */
export function withGraphQLErrorShape<C>(handler: RouteHandler<C>): RouteHandler<C> {
  return async (request, context) => {
    const response = await handler(request, context)
    // graphql-http's own 405 comes without a JSON content type (text/plain once Payload's route re-wraps it).
    const isJson = (response.headers.get('content-type') ?? '').includes('json')
    if (!isJson && response.status < 400) return response
    const text = await response.clone().text()
    // Most answers carry no error: not parsed again.
    if (!text.includes('"errors"')) return response
    let body: { errors?: GraphQLErrorEntry[] } & Record<string, unknown>
    try {
      body = JSON.parse(text) as typeof body
    } catch {
      return response
    }
    if (!Array.isArray(body?.errors) || body.errors.every((entry) => entry?.extensions?.error)) return response
    // A request error (the document did not parse or validate) has no `data`; graphql-http answers it 200 to a client
    // that accepts application/json, as the GraphQL-over-HTTP spec says, and the status stays as it chose.
    const status = response.status < 400 && !('data' in body) ? 400 : response.status
    const errors = body.errors.map((entry) => (entry?.extensions?.error ? entry : withErrorBody(entry, status)))
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    if (!isJson) headers.set('content-type', 'application/json; charset=utf-8')
    if (response.status === 405 && !headers.has('allow')) headers.set('Allow', 'GET, POST')
    return new Response(JSON.stringify({ ...body, errors }), { status: response.status, statusText: response.statusText, headers })
  }
}

function withErrorBody(entry: GraphQLErrorEntry, status: number): GraphQLErrorEntry {
  const message = typeof entry?.message === 'string' ? entry.message : 'GraphQL error'
  const { error } = toErrorBody(asAppError(message, status))
  // A 500 says nothing about its cause (toErrorBody), but the GraphQL message stays what it was.
  return { ...entry, extensions: { ...entry?.extensions, statusCode: error.status, error } }
}

/** What an error graphql-http answered by itself is, in the error family. */
function asAppError(message: string, status: number): AppError | Error {
  if (status === 405) return new MethodNotAllowedError({ method: 'GET', allowed: ['POST'] })
  const complexity = /maximum complexity of (\d+)\. Actual complexity is (\d+)/i.exec(message)
  if (complexity) {
    return new QueryLimitError({ limit: 'graphql.maxComplexity', max: Number(complexity[1]), value: Number(complexity[2]), message })
  }
  // A document that does not parse or validate (400), and any other refusal of the request before it ran.
  if (status >= 400 && status < 500) return new ValidationError({ message, issues: [{ path: 'query', message }] })
  return new Error(message)
}
