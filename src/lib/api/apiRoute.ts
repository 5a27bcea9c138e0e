import type { Payload } from 'payload'

import config from '@payload-config'
import { createLocalReq, executeAuthStrategies, getPayload } from 'payload'

import type { Actor } from '../../services/actor'

import { PayloadTooLargeError, toErrorResponse, UnauthorizedError, ValidationError } from '../../errors'

/** Largest JSON body /api/v1 accepts. */
export const MAX_BODY_BYTES = 1_000_000

type RouteContext<P> = { params: Promise<P> }

export type ApiHandlerArgs<P> = {
  actor: Actor
  params: P
  /** The query string as an object; a repeated key becomes an array (which the schemas then reject). */
  query: Record<string, string | string[]>
  /** The parsed JSON body (undefined when there is none). */
  body: unknown
}

/**
 * Wraps an /api/v1 route handler: authenticates the caller through Payload's auth strategies (cookie, JWT bearer or API key), parses
 * the query and JSON body, runs the handler (which calls one service) and answers JSON. Every thrown error goes
 * through toErrorResponse, the one place errors become HTTP.
 */
export function apiRoute<P = Record<string, never>>(
  handler: (args: ApiHandlerArgs<P>) => Promise<unknown>,
  {
    status = 200,
    isPublic = false,
    acceptsQuery = true,
  }: { status?: number; isPublic?: boolean; acceptsQuery?: boolean } = {},
) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    let payload: Payload | undefined
    try {
      payload = await getPayload({ config })
      // Payload's auth strategies (cookie, JWT bearer, API key) without payload.auth()'s permission map, which
      // would run every collection's access rules (a dozen queries) on each request.
      const { user } = await executeAuthStrategies({ headers: request.headers, payload })
      if (!user && !isPublic) throw new UnauthorizedError()
      // One request object for all of the service's Local API calls, so per-request memos (access-rule lookups,
      // the relationship dataloader) are shared between them.
      const req = await createLocalReq({ user: user ?? undefined }, payload)
      const actor: Actor = { payload, user: (user as Actor['user']) ?? null, req }
      const query = readQuery(new URL(request.url).searchParams)
      if (!acceptsQuery) rejectQuery(query)
      const result = await handler({
        actor,
        params: await context.params,
        query,
        body: await readJsonBody(request),
      })
      return Response.json(result, { status })
    } catch (err) {
      return toErrorResponse(err, ({ msg, err: cause }) => {
        if (payload) payload.logger.error({ msg, err: cause })
        else console.error(msg, cause)
      })
    }
  }
}

function readQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    query[key] = values.length === 1 ? values[0] : values
  }
  return query
}

function rejectQuery(query: Record<string, unknown>) {
  const keys = Object.keys(query)
  if (keys.length > 0) {
    throw new ValidationError({ issues: keys.map((key) => ({ path: key, message: 'Unrecognized query parameter' })) })
  }
}

async function readJsonBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > MAX_BODY_BYTES) throw new PayloadTooLargeError({ limitBytes: MAX_BODY_BYTES })
  const text = await request.text()
  if (text.length > MAX_BODY_BYTES) throw new PayloadTooLargeError({ limitBytes: MAX_BODY_BYTES })
  if (text.trim() === '') return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new ValidationError({ issues: [{ path: '', message: 'The body must be valid JSON' }], message: 'Malformed JSON body' })
  }
}
