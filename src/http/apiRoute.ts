import type { Payload } from 'payload'

import config from '@payload-config'
import { createLocalReq, executeAuthStrategies, getPayload } from 'payload'

import type { Actor } from '../services/actor'
import type { OperationContract } from './openapi/routeContract'

import {
  MethodNotAllowedError,
  NotFoundError,
  toErrorResponse,
  UnauthorizedError,
  ValidationError,
} from '../errors'
import { readJsonBody } from '../http/jsonBody'
import { bodyObject } from './bodyObject'
import { withHttpMetrics } from '../lib/metrics/httpMetrics'

type RouteContext<P> = { params: Promise<P> }

export type ApiHandlerArgs<P> = {
  actor: Actor
  params: P
  /** The query string as an object; a repeated key becomes an array (which the schemas then reject). */
  query: Record<string, string | string[]>
  /** The parsed JSON body (undefined when there is none). */
  body: unknown
  /** The request itself, for the few routes that read a header or follow the client's disconnect (event streams). */
  request: Request
}

/**
 * Wraps an /api/v1 route handler: authenticates the caller through Payload's auth strategies (cookie, JWT bearer or API key), parses
 * the query and JSON body, runs the handler (which calls one service) and answers JSON. Every thrown error goes
 * through toErrorResponse, the one place errors become HTTP.
 *
 * `contract` is the operation's contract (the route's `contract.ts`; docs/API.md, "Route contracts"), so what the
 * OpenAPI document says is what the route does: the answer's status is its `response.status`, no credentials are
 * needed only when it `isPublic`, a query string is refused (400) unless it declares a `query`, and a handler
 * result of null answers 204 with no body when it declares `noContent` (e.g. nothing to claim).
 */
export function apiRoute<P = Record<string, never>>(
  handler: (args: ApiHandlerArgs<P>) => Promise<unknown>,
  {
    contract,
    status = contract.response.status,
  }: {
    contract: OperationContract
    /** Another documented success status than the contract's `response` (its `alternative`). */
    status?: number
  },
) {
  const isPublic = contract.isPublic === true
  const acceptsQuery = contract.query !== undefined
  const noContentWhenNull = contract.noContent !== undefined
  // An upload route (multipart or text bodies) reads its body itself.
  const readsOwnBody = contract.bodyContent !== undefined
  return withHttpMetrics(async (request: Request, context: RouteContext<P>): Promise<Response> => {
    let payload: Payload | undefined
    try {
      payload = await getPayload({ config })
      // Payload's auth strategies (cookie, JWT bearer, API key) without payload.auth()'s permission map, which
      // would run every collection's access rules (a dozen queries) on each request.
      const { user } = await executeAuthStrategies({ headers: request.headers, payload })
      if (!user && !isPublic) throw new UnauthorizedError()
      // One request object for all of the service's Local API calls, so per-request memos (access-rule lookups,
      // the relationship dataloader) are shared between them.
      // It carries the request's headers, so the client address (rate limits on paid work, the audit log) is known.
      const req = await createLocalReq({ user: user ?? undefined, req: { headers: request.headers } }, payload)
      const actor: Actor = { payload, user: (user as Actor['user']) ?? null, req }
      const query = readQuery(new URL(request.url).searchParams)
      if (!acceptsQuery) rejectQuery(query)
      const result = await handler({
        actor,
        params: await context.params,
        query,
        body: request.method === 'GET' || request.method === 'HEAD' || readsOwnBody ? undefined : await readJsonBody(request),
        request,
      })
      if (result === null && noContentWhenNull) return new Response(null, { status: 204 })
      // A handler that streams (Server-Sent Events) builds its own response once every check has passed.
      if (result instanceof Response) return result
      return Response.json(result, { status })
    } catch (err) {
      return toErrorResponse(err, ({ msg, err: cause }) => {
        if (payload) payload.logger.error({ msg, err: cause })
        else console.error(msg, cause)
      })
    }
  })
}

/**
 * The arguments of a service call: the client's input (query or body) plus the server-owned ones (the actor, ids
 * from the path). A client key that names a server-owned argument (`?actor=…`, `projectId` in the body of a
 * `/projects/{id}/…` route) is refused with a 400 naming it, never spread over the server's value.
 */
export function serviceArgs<DTO>(input: unknown, server: { actor: Actor } & Partial<DTO>): DTO & { actor: Actor } {
  const client = input === undefined ? {} : bodyObject<object>(input)
  const taken = Object.keys(server).filter((key) => Object.hasOwn(client, key))
  if (taken.length > 0) throw new ValidationError({ issues: taken.map((path) => ({ path, message: 'Unrecognized key' })) })
  return { ...client, ...server } as DTO & { actor: Actor }
}

const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
type HttpMethod = (typeof httpMethods)[number]
type Handler = (request: Request) => Promise<Response>

/**
 * The methods a route file does not handle, each answering 405 with the /api/v1 error body and an Allow header
 * (Next.js would answer an empty 405): `export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })`.
 */
export function otherMethods<T extends Partial<Record<HttpMethod, unknown>>>(handled: T): Record<Exclude<HttpMethod, keyof T>, Handler> {
  const allowed = httpMethods.filter((method) => method in handled)
  const refuse: Handler = async (request) => toErrorResponse(new MethodNotAllowedError({ method: request.method, allowed }))
  return Object.fromEntries(httpMethods.filter((method) => !(method in handled)).map((method) => [method, refuse])) as Record<
    Exclude<HttpMethod, keyof T>,
    Handler
  >
}

/** Every method of a path under /api/v1 that no route serves: 404 with the /api/v1 error body. */
export const unknownRoute: Record<HttpMethod, Handler> = Object.fromEntries(
  httpMethods.map((method) => [
    method,
    async (request: Request) => toErrorResponse(new NotFoundError({ resource: 'Route', id: new URL(request.url).pathname })),
  ]),
) as Record<HttpMethod, Handler>

/**
 * The query string as an object. A blank value (`?limit=`, `?limit=+`) is refused with a 400 naming it: numbers
 * are coerced from text, and a blank would otherwise read as 0 (for `limit`, "a full page").
 */
function readQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  const blank = new Set<string>()
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key)
    if (values.some((value) => value.trim() === '')) blank.add(key)
    query[key] = values.length === 1 ? values[0] : values
  }
  if (blank.size > 0) throw new ValidationError({ issues: [...blank].map((path) => ({ path, message: 'Must not be empty' })) })
  return query
}

function rejectQuery(query: Record<string, unknown>) {
  const keys = Object.keys(query)
  if (keys.length > 0) {
    throw new ValidationError({ issues: keys.map((key) => ({ path: key, message: 'Unrecognized query parameter' })) })
  }
}
