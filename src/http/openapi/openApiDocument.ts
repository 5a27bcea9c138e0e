import { z } from 'zod'

import type { ContractMethod, OperationContract, RouteContract } from './routeContract'

import { idSchema } from '../../services/schemas/common'
import {
  auditEntrySchema,
  claimedTaskSchema,
  errorSchema,
  heartbeatResultSchema,
  mediaSchema,
  overviewSchema,
  projectSchema,
  projectSummarySchema,
  promptExecutionSchema,
  sceneSchema,
  sessionMessagePageSchema,
  sessionMessageSchema,
  sessionSchema,
  taskSchema,
} from './responseSchemas'

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input (details.issues names each field)',
  401: 'No valid credentials',
  403: 'Not allowed (e.g. a worker API key where a signed-in person is required; a quota, details.limit)',
  404: 'Not found or not visible to the caller',
  409: 'Conflicts with the current state (details.allowed, details.children)',
  413: 'The JSON body exceeds 1 MB',
  429: 'Too many requests: retry after the Retry-After header (seconds)',
  503: 'A service the endpoint needs (Redis) is unreachable: retry later',
}

const retryAfterHeader = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } },
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, $defs, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>
  // A recursive schema (z.json(): any JSON value) becomes a local $defs entry, which an OpenAPI document cannot
  // resolve from an inline schema: such a value is documented as any value ({}).
  return $defs ? (JSON.parse(JSON.stringify(json).replace(/\{"\$ref":"#\/\$defs\/[^"]+"\}/g, '{}')) as Record<string, unknown>) : json
}

/** One operation of a route contract, with the route's path and method. */
export type Endpoint = OperationContract & { method: ContractMethod; path: string }

/** The operations of the route contracts, in the order of the list and of each contract's methods. */
export const endpointsOf = (contracts: RouteContract[]): Endpoint[] =>
  contracts.flatMap(({ path, operations }) =>
    Object.entries(operations).map(([method, operation]) => ({ ...(operation as OperationContract), method: method as ContractMethod, path })),
  )

/** The path parameters of an OpenAPI path, in order (`/api/v1/projects/{id}/invitations/{invitationId}` → id, invitationId). */
export const pathParamsOf = (path: string) => [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1])

/**
 * The OpenAPI 3.1 document of /api/v1, assembled from the routes' contracts (src/app/api/v1/contracts.ts) and the
 * zod schemas they name (nothing here is written by hand twice).
 */
export function buildOpenApiDocument(contracts: RouteContract[], { serverUrl }: { serverUrl?: string } = {}) {
  const endpoints = endpointsOf(contracts)
  const registry = z.registry<{ id: string }>()
  const paths: Record<string, Record<string, unknown>> = {}
  for (const endpoint of endpoints) {
    const parameters = [
      ...pathParamsOf(endpoint.path).map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: toSchema(endpoint.pathParamSchemas?.[name] ?? idSchema, 'input'),
      })),
      ...Object.entries(endpoint.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: toSchema(schema as z.ZodType, 'input'),
      })),
      ...(endpoint.headers ?? []).map(({ name, description, schema }) => ({ name, in: 'header', required: false, description, schema: toSchema(schema, 'input') })),
    ]
    const responses: Record<string, unknown> = {
      [endpoint.response.status]: {
        description: endpoint.response.description,
        content: Object.fromEntries(
          (endpoint.response.contentTypes ?? [endpoint.response.contentType ?? 'application/json']).map((type) => [
            type,
            { schema: { $ref: `#/components/schemas/${refName(endpoint.response.schema)}` } },
          ]),
        ),
      },
    }
    if (endpoint.noContent) responses[204] = { description: endpoint.noContent }
    if (endpoint.alternative) {
      responses[endpoint.alternative.status] = {
        description: endpoint.alternative.description,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${refName(endpoint.alternative.schema)}` } } },
      }
    }
    for (const status of endpoint.errors) {
      responses[status] = {
        description: endpoint.errorNotes?.[status] ?? errorDescriptions[status],
        ...(status === 429 ? { headers: retryAfterHeader } : {}),
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[endpoint.path] ??= {}
    paths[endpoint.path][endpoint.method] = {
      summary: endpoint.summary,
      operationId: endpoint.operationId ?? operationId(endpoint),
      tags: [tagOf(endpoint)],
      ...(endpoint.isPublic ? { security: [] } : {}),
      ...(parameters.length ? { parameters } : {}),
      ...(endpoint.body || endpoint.bodyContent
        ? {
            requestBody: {
              required: true,
              content: {
                ...(endpoint.body ? { 'application/json': { schema: toSchema(endpoint.body, 'input') } } : {}),
                ...Object.fromEntries(Object.entries(endpoint.bodyContent ?? {}).map(([type, schema]) => [type, { schema: toSchema(schema, 'input') }])),
              },
            },
          }
        : {}),
      responses,
    }
    registry.add(endpoint.response.schema, { id: refName(endpoint.response.schema) })
  }
  const shared = [
    ...[errorSchema, projectSummarySchema, projectSchema, sceneSchema, taskSchema, claimedTaskSchema, heartbeatResultSchema, mediaSchema, overviewSchema],
    ...[promptExecutionSchema, sessionSchema, sessionMessageSchema, sessionMessagePageSchema, auditEntrySchema],
  ]
  for (const schema of shared) {
    registry.add(schema, { id: refName(schema) })
  }
  const { schemas } = z.toJSONSchema(registry, { io: 'output', target: 'draft-2020-12', unrepresentable: 'any', uri: (name) => `#/components/schemas/${name}` }) as {
    schemas: Record<string, Record<string, unknown>>
  }
  for (const schema of Object.values(schemas)) delete schema.$schema

  return {
    openapi: '3.1.0',
    info: {
      title: 'Movie Platform API',
      version: '1.0.0',
      description:
        'Domain endpoints of the movie-generation platform. Authenticate with the payload-token cookie, an `Authorization: JWT <token>` (or Bearer) header, or `Authorization: users API-Key <key>`. Lists are paginated (default 20; above 100, or 0, one page of 100 — the same rule as REST and GraphQL). Every error, including a method a path does not serve (405, with Allow) and a path no route serves (404), answers the `Error` body.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: serverUrl ?? '/', description: serverUrl ? 'This deployment' : 'The server that served this document' }],
    security: [{ jwt: [] }, { apiKey: [] }, { cookie: [] }],
    tags: [...new Set(endpoints.map(tagOf))].map((name) => ({ name, description: `/api/v1/${name}` })),
    paths,
    components: {
      schemas,
      securitySchemes: {
        jwt: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'users API-Key <key>' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'payload-token' },
      },
    },
  }
}

function refName(schema: z.ZodType): string {
  const meta = z.globalRegistry.get(schema) as { id?: string } | undefined
  if (!meta?.id) throw new Error('response schemas need a .meta({ id })')
  return meta.id
}

/** The resource an endpoint belongs to (`/api/v1/<resource>/…`), its tag. */
function operationId(endpoint: Endpoint): string {
  const words = endpoint.path
    .replace('/api/v1/', '')
    .split('/')
    .filter((part) => !part.startsWith('{'))
  return [endpoint.method, ...words].map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('')
}

const tagOf = (endpoint: Endpoint) => endpoint.path.split('/')[3]
