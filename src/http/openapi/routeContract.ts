import type { z } from 'zod'

/** The HTTP methods an /api/v1 route file may serve (lower case, as OpenAPI names them). */
export type ContractMethod = 'get' | 'post' | 'put' | 'patch' | 'delete'

/**
 * What one operation of an /api/v1 route promises its clients: the request it takes and every answer it gives.
 * The route's handler passes it to `apiRoute` (which answers with `response.status`), and the OpenAPI document is
 * assembled from these (src/http/openapi/openApiDocument.ts); nothing about an operation is written twice.
 */
export type OperationContract = {
  summary: string
  /** Unique across the document (generated clients name their functions after it); derived from the method and path words when left out. */
  operationId?: string
  /** Answers without credentials too (documented with `security: []`); every other operation answers 401 without them. */
  isPublic?: boolean
  /** Schemas of path parameters that are not document ids (every `{name}` of the path is a document id otherwise). */
  pathParamSchemas?: Record<string, z.ZodType>
  /** The query string; the operation takes none when left out (apiRoute then refuses any query key with a 400). */
  query?: z.ZodObject
  /** Request headers the operation reads. */
  headers?: { name: string; description: string; schema: z.ZodType }[]
  /** The JSON body. */
  body?: z.ZodType
  /**
   * Request content types other than JSON, each with its schema (uploads: `multipart/form-data`, `text/csv`). An
   * operation that declares them reads its body itself (apiRoute then parses no JSON body for it).
   */
  bodyContent?: Record<string, z.ZodType>
  /** The success answer. `text/event-stream`: the schema is that of each event's `data`; JSON otherwise. Response schemas carry `.meta({ id })`. */
  response: {
    status: number
    schema: z.ZodType
    description: string
    contentType?: 'text/event-stream'
    /** A download (`text/csv`, `text/plain`, `application/xml`, …): the content types it may answer. */
    contentTypes?: string[]
  }
  /** Also answers 204 with no body when the handler returns null (e.g. nothing to claim), described here. */
  noContent?: string
  /** A second success answer (e.g. ?wait=true answering the result instead of the queued task). */
  alternative?: { status: number; schema: z.ZodType; description: string }
  /** Every error status the operation answers (each with the `Error` body). */
  errors: number[]
  /** What an error status means on this operation, where it says more than the shared description. */
  errorNotes?: Partial<Record<number, string>>
}

type Operations = Partial<Record<ContractMethod, OperationContract>>

/** The contract of one route file: its path (as OpenAPI writes it, `{id}` for `[id]`) and an operation per method it serves. */
export type RouteContract<O extends Operations = Operations> = { path: string; operations: O }

/**
 * Declares the contract of a route file, in `contract.ts` beside its `route.ts` (a route file may export only its
 * handlers). Listed in src/app/api/v1/contracts.ts; tests/int/http/openapi/routeContracts.int.spec.ts fails for a
 * route file without one, or whose contract names another path or other methods than the route serves.
 */
export function defineRouteContract<const O extends Operations>(path: `/api/v1/${string}`, operations: O): RouteContract<O> {
  return { path, operations }
}

/** The limits on paid work (docs/ACCESS.md, "Task limits"): enqueues, prompt executions and retries answer these. */
export const paidWorkNotes = {
  403: "Not allowed: not a member of the project, or a tier budget of the project owner is spent — details.limit names it (maxPriority: the highest priority of the tier; maxOpenTasks: open tasks at once across the owner's projects) and details.value its figure",
  429: 'Rate limit of paid work (policy enqueue or execute, per user, per project and per address): retry after the Retry-After header (seconds)',
}
