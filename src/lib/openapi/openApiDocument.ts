import { z } from 'zod'

import { idSchema } from '../../services/schemas/common'
import { findMediaByProjectSchema } from '../../services/schemas/mediaSchemas'
import { collaboratorSchema, findProjectsByUserSchema } from '../../services/schemas/projectSchemas'
import { findScenesByEpisodeSchema } from '../../services/schemas/sceneSchemas'
import { findTasksSchema } from '../../services/schemas/taskSchemas'
import {
  errorSchema,
  mediaSchema,
  overviewSchema,
  pageOf,
  projectSchema,
  sceneSchema,
  taskSchema,
} from './responseSchemas'


type Endpoint = {
  method: 'get' | 'post' | 'delete'
  path: string
  summary: string
  /** Path parameters (all document ids). */
  pathParams?: string[]
  query?: z.ZodObject
  body?: z.ZodType
  response: { status: number; schema: z.ZodType; description: string }
  errors: number[]
}

/** Every /api/v1 endpoint, described by the same zod schemas the services validate with. */
export const endpoints: Endpoint[] = [
  {
    method: 'get',
    path: '/api/v1/projects',
    summary: 'Projects the caller owns or collaborates on, most recently updated first',
    query: findProjectsByUserSchema,
    response: { status: 200, schema: pageOf(projectSchema, 'Project'), description: 'One page of projects' },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}',
    summary: 'One project',
    pathParams: ['id'],
    response: { status: 200, schema: projectSchema, description: 'The project' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/overview',
    summary: 'Project dashboard: episodes with scene counts and progress, characters, latest media, open tasks, cost',
    pathParams: ['id'],
    response: { status: 200, schema: overviewSchema, description: 'The overview' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/media',
    summary: "The project's media, optionally of one type, newest first",
    pathParams: ['id'],
    query: findMediaByProjectSchema.omit({ projectId: true }),
    response: { status: 200, schema: pageOf(mediaSchema, 'Media'), description: 'One page of media' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/projects/{id}/collaborators',
    summary: 'Add a collaborator (project owner or admin)',
    pathParams: ['id'],
    body: collaboratorSchema,
    response: { status: 201, schema: projectSchema, description: 'The project with its new collaborator' },
    errors: [400, 401, 403, 404, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/projects/{id}/collaborators',
    summary: 'Remove a collaborator (project owner or admin)',
    pathParams: ['id'],
    body: collaboratorSchema,
    response: { status: 200, schema: projectSchema, description: 'The project without the collaborator' },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'get',
    path: '/api/v1/episodes/{id}/scenes',
    summary: "The episode's scenes in scene order",
    pathParams: ['id'],
    query: findScenesByEpisodeSchema.omit({ episodeId: true }),
    response: { status: 200, schema: pageOf(sceneSchema, 'Scene'), description: 'One page of scenes' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/tasks',
    summary: 'Tasks in one status (queued by default), highest priority first, then oldest first',
    query: findTasksSchema,
    response: { status: 200, schema: pageOf(taskSchema, 'Task'), description: 'One page of tasks' },
    errors: [400, 401],
  },
]

const errorDescriptions: Record<number, string> = {
  400: 'Invalid input (details.issues names each field)',
  401: 'No valid credentials',
  403: 'Not allowed',
  404: 'Not found or not visible to the caller',
  409: 'Conflicts with the current state',
}

const toSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Record<string, unknown>
  return json
}

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas (nothing here is written by hand twice). */
export function buildOpenApiDocument({ serverUrl }: { serverUrl?: string } = {}) {
  const registry = z.registry<{ id: string }>()
  const paths: Record<string, Record<string, unknown>> = {}
  for (const endpoint of endpoints) {
    const parameters = [
      ...(endpoint.pathParams ?? []).map((name) => ({ name, in: 'path', required: true, schema: toSchema(idSchema, 'input') })),
      ...Object.entries(endpoint.query?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: !(schema as z.ZodType).safeParse(undefined).success,
        schema: toSchema(schema as z.ZodType, 'input'),
      })),
    ]
    const responses: Record<string, unknown> = {
      [endpoint.response.status]: {
        description: endpoint.response.description,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${refName(endpoint.response.schema)}` } } },
      },
    }
    for (const status of endpoint.errors) {
      responses[status] = {
        description: errorDescriptions[status],
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      }
    }
    paths[endpoint.path] ??= {}
    paths[endpoint.path][endpoint.method] = {
      summary: endpoint.summary,
      operationId: operationId(endpoint),
      ...(parameters.length ? { parameters } : {}),
      ...(endpoint.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(endpoint.body, 'input') } } } }
        : {}),
      responses,
    }
    registry.add(endpoint.response.schema, { id: refName(endpoint.response.schema) })
  }
  for (const schema of [errorSchema, projectSchema, sceneSchema, taskSchema, mediaSchema, overviewSchema]) {
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
        'Domain endpoints of the movie-generation platform. Authenticate with the payload-token cookie, an `Authorization: JWT <token>` (or Bearer) header, or `Authorization: users API-Key <key>`. Lists are paginated (default 20, max 100 per page).',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ jwt: [] }, { apiKey: [] }, { cookie: [] }],
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

function operationId(endpoint: Endpoint): string {
  const words = endpoint.path
    .replace('/api/v1/', '')
    .split('/')
    .filter((part) => !part.startsWith('{'))
  return [endpoint.method, ...words].map((word, index) => (index === 0 ? word : word[0].toUpperCase() + word.slice(1))).join('')
}
