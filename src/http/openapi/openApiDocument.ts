import { z } from 'zod'

import { findAuditEntriesSchema } from '../../services/schemas/auditLogSchemas'
import { idSchema } from '../../services/schemas/common'
import { findMediaByProjectSchema } from '../../services/schemas/mediaSchemas'
import { searchSchema, similarMediaSchema as similarMediaBody } from '../../services/schemas/searchSchemas'
import { answerInvitationSchema, invitationSchema } from '../../services/schemas/invitationSchemas'
import { confirmEmailChangeSchema } from '../../services/schemas/userSchemas'
import { collaboratorSchema, findProjectsByUserSchema } from '../../services/schemas/projectSchemas'
import { findScenesByEpisodeSchema, reorderScenesSchema } from '../../services/schemas/sceneSchemas'
import { screenplayContracts } from './screenplayContracts'
import { assembleEpisodeSchema, produceEpisodeSchema, reviewSceneSchema } from '../../services/schemas/productionSchemas'
import {
  cancelTaskSchema,
  retryTaskSchema,
  claimTaskSchema,
  completeTaskSchema,
  createTaskSchema,
  failTaskSchema,
  findTasksSchema,
  heartbeatSchema,
} from '../../services/schemas/taskSchemas'
import { findPromptExecutionsSchema } from '../../services/schemas/promptExecutionSchemas'
import { executePromptSchema, executeQuerySchema, renderPromptSchema } from '../../services/schemas/promptTemplateSchemas'
import {
  appendMessageSchema,
  listMessagesSchema,
  offerChoicesSchema,
  patchSessionSchema,
  startSessionSchema,
} from '../../services/schemas/sessionSchemas'
import {
  choicePickSchema,
  claimedTaskSchema,
  errorSchema,
  heartbeatResultSchema,
  mediaSchema,
  overviewSchema,
  auditEntrySchema,
  keysetPageOf,
  pageOf,
  projectEventSchema,
  projectSchema,
  projectSummarySchema,
  promptExecutionSchema,
  renderedPromptSchema,
  producedTasksSchema,
  sceneOrderSchema,
  sceneSchema,
  sceneTakesSchema,
  sessionMessagePageSchema,
  sessionMessageSchema,
  sessionSchema,
  sessionWithMessagesSchema,
  searchPageSchema,
  similarMediaSchema,
  taskSchema,
} from './responseSchemas'

const membersSchema = z.object({ members: z.array(z.object({ id: idSchema, name: z.string().nullable(), role: z.enum(['owner', 'collaborator']) })) }).meta({ id: 'Members' })
const invitedSchema = z.object({ status: z.literal('invited'), email: z.string(), kind: z.enum(['collaborator', 'ownership']) }).meta({ id: 'Invited' })
const pendingInvitationsSchema = z.object({
  docs: z.array(
    z.object({ id: idSchema, kind: z.enum(['collaborator', 'ownership']), project: z.object({ id: idSchema, title: z.string() }), createdAt: z.string() }),
  ),
}).meta({ id: 'PendingInvitations' })
const answeredSchema = z.object({ status: z.enum(['accepted', 'declined']) }).loose().meta({ id: 'InvitationAnswer' })
const sentInvitationsSchema = z.object({
  docs: z.array(z.object({ id: idSchema, kind: z.enum(['collaborator', 'ownership']), email: z.string(), createdAt: z.string() })),
}).meta({ id: 'SentInvitations' })
const withdrawnSchema = z.object({ status: z.literal('withdrawn'), id: idSchema }).meta({ id: 'InvitationWithdrawn' })
const emailConfirmedSchema = z.object({ status: z.literal('confirmed'), email: z.string() }).meta({ id: 'EmailConfirmed' })


export type Endpoint = {
  method: 'get' | 'post' | 'delete' | 'patch' | 'put'
  path: string
  summary: string
  /** Path parameters (document ids unless `pathParamSchemas` says otherwise). */
  pathParams?: string[]
  pathParamSchemas?: Record<string, z.ZodType>
  /** Unique across the document (generated clients name their functions after it); derived from the method and path words when left out. */
  operationId?: string
  query?: z.ZodObject
  /** Request headers the endpoint reads. */
  headers?: { name: string; description: string; schema: z.ZodType }[]
  body?: z.ZodType
  /** More request content types than JSON, each with its schema (uploads: `multipart/form-data`, `text/csv`). */
  bodyContent?: Record<string, z.ZodType>
  /** `text/event-stream`: the schema is that of each event's `data`. A download (`text/csv`, `text/plain`, …) lists its types. JSON otherwise. */
  response: { status: number; schema: z.ZodType; description: string; contentType?: 'text/event-stream'; contentTypes?: string[] }
  /** Also answers 204 with no body (e.g. nothing to claim), described here. */
  noContent?: string
  /** A second success answer (e.g. ?wait=true answering the result instead of the queued task). */
  alternative?: { status: number; schema: z.ZodType; description: string }
  errors: number[]
  /** What an error status means on this endpoint, where it says more than the shared description. */
  errorNotes?: Partial<Record<number, string>>
}

/** The limits on paid work (docs/ACCESS.md, "Task limits"): enqueues, prompt executions and retries answer these. */
const paidWorkNotes = {
  403: 'Not allowed: not a member of the project, or a tier budget of the project owner is spent — details.limit names it (maxPriority: the highest priority of the tier; maxOpenTasks: open tasks at once across the owner\'s projects) and details.value its figure',
  429: 'Rate limit of paid work (policy enqueue or execute, per user, per project and per address): retry after the Retry-After header (seconds)',
}

/** Every /api/v1 endpoint, described by the same zod schemas the services validate with. */
export const endpoints: Endpoint[] = [
  ...screenplayContracts,
  {
    method: 'get',
    path: '/api/v1/projects',
    operationId: 'listProjects',
    summary: 'Projects the caller owns or collaborates on, most recently updated first',
    query: findProjectsByUserSchema,
    response: { status: 200, schema: pageOf(projectSummarySchema, 'ProjectSummary'), description: 'One page of projects' },
    errors: [400, 401],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}',
    operationId: 'getProject',
    summary: 'One project',
    pathParams: ['id'],
    response: { status: 200, schema: projectSchema, description: 'The project' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/overview',
    operationId: 'getProjectOverview',
    summary: 'Project dashboard: episodes with scene counts and progress, characters, latest media, open tasks, cost',
    pathParams: ['id'],
    response: { status: 200, schema: overviewSchema, description: 'The overview' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/events',
    operationId: 'streamProjectEvents',
    summary:
      "Members: Server-Sent Events of the project's task status and progress changes and new media, live across instances; a reconnect with Last-Event-ID replays what it missed (the last 500 events per project are kept)",
    pathParams: ['id'],
    query: z.object({ lastEventId: z.string().optional().describe('For clients that cannot send the Last-Event-ID header') }).strict(),
    headers: [{ name: 'Last-Event-ID', description: 'The id of the last event received: the events after it are replayed first', schema: z.string() }],
    response: {
      status: 200,
      contentType: 'text/event-stream',
      schema: projectEventSchema,
      description:
        'An event stream: `id: <ms>-<seq>`, `event: task.status | task.progress | media.created`, `data: <ProjectEvent JSON>`; `event: gap` when events after Last-Event-ID were already dropped (re-read the project), `event: revoked` before the stream ends for a removed member; a `: heartbeat` comment every 15 s',
    },
    errors: [400, 401, 403, 404, 503],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/media',
    operationId: 'listProjectMedia',
    summary: "The project's media, optionally of one type, newest first",
    pathParams: ['id'],
    query: findMediaByProjectSchema.omit({ projectId: true }),
    response: { status: 200, schema: keysetPageOf(mediaSchema, 'Media'), description: 'One page of media' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/projects/{id}/collaborators',
    operationId: 'addCollaborator',
    summary: 'Add a collaborator by id (admins; owners invite by email)',
    pathParams: ['id'],
    body: collaboratorSchema,
    response: { status: 201, schema: projectSchema, description: 'The project with its new collaborator' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'delete',
    path: '/api/v1/projects/{id}/collaborators',
    operationId: 'removeCollaborator',
    summary: 'Remove a collaborator (project owner or admin)',
    pathParams: ['id'],
    body: collaboratorSchema,
    response: { status: 200, schema: projectSchema, description: 'The project without the collaborator' },
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/collaborators',
    summary: "The project's members as { id, name, role } (the only way to see another account's name)",
    pathParams: ['id'],
    response: { status: 200, schema: membersSchema, description: 'Owner first, then collaborators' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/projects/{id}/invitations',
    summary: 'Invite an email address as collaborator (owner or admin); the same answer whether or not it has an account',
    pathParams: ['id'],
    body: invitationSchema,
    response: { status: 202, schema: invitedSchema, description: 'Invitation sent (or already pending)' },
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/invitations',
    operationId: 'listSentInvitations',
    summary: "Owner or admin: the project's invitations and ownership transfers still waiting for an answer, newest first",
    pathParams: ['id'],
    response: { status: 200, schema: sentInvitationsSchema, description: 'Pending invitations and transfers' },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'delete',
    path: '/api/v1/projects/{id}/invitations/{invitationId}',
    operationId: 'withdrawInvitation',
    summary: 'Owner or admin: withdraw a pending invitation or ownership transfer; its token stops working',
    pathParams: ['id', 'invitationId'],
    response: { status: 200, schema: withdrawnSchema, description: 'Withdrawn' },
    errors: [400, 401, 403, 404],
  },
  {
    method: 'post',
    path: '/api/v1/projects/{id}/transfer',
    summary: "Offer the project's ownership to an email address (owner or admin); the new owner accepts",
    pathParams: ['id'],
    body: invitationSchema,
    response: { status: 202, schema: invitedSchema, description: 'Ownership invitation sent (or already pending)' },
    errors: [400, 401, 403, 404, 413],
  },
  {
    method: 'get',
    path: '/api/v1/invitations',
    summary: "The caller's pending invitations",
    response: { status: 200, schema: pendingInvitationsSchema, description: 'Pending invitations, newest first' },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/api/v1/invitations/{id}/accept',
    summary: 'Accept an invitation with the token mailed to the invited address: join the project, or take it over (within your quota and tier)',
    pathParams: ['id'],
    body: answerInvitationSchema,
    response: { status: 200, schema: answeredSchema, description: 'Accepted' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/invitations/{id}/decline',
    summary: 'Decline an invitation (with the token mailed to the invited address)',
    pathParams: ['id'],
    body: answerInvitationSchema,
    response: { status: 200, schema: answeredSchema, description: 'Declined' },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'post',
    path: '/api/v1/account/email/confirm',
    operationId: 'confirmEmailChange',
    summary: 'Make a requested new address the account address, with the token mailed to it (no session needed)',
    body: confirmEmailChangeSchema,
    response: { status: 200, schema: emailConfirmedSchema, description: 'The account now has this address' },
    errors: [400, 409, 413],
  },
  {
    method: 'get',
    path: '/api/v1/episodes/{id}/scenes',
    operationId: 'listEpisodeScenes',
    summary: "The episode's scenes in scene order",
    pathParams: ['id'],
    query: findScenesByEpisodeSchema.omit({ episodeId: true }),
    response: { status: 200, schema: pageOf(sceneSchema, 'Scene'), description: 'One page of scenes' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/episodes/{id}/scenes/order',
    operationId: 'reorderEpisodeScenes',
    summary: "Re-order the episode's scenes: list each once, first first; they are numbered 1..n (members of the project)",
    pathParams: ['id'],
    body: reorderScenesSchema.omit({ episodeId: true }),
    response: { status: 200, schema: sceneOrderSchema, description: 'The scenes with their new numbers' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/episodes/{id}/produce',
    operationId: 'produceEpisode',
    summary:
      "Plan the episode's task graph (members who may write it): storyboard plan, panel images, video, dialogue track and scene cut per pending or failed scene, with dependencies; filled slots are skipped unless force; a scene already generating answers its open tasks",
    pathParams: ['id'],
    body: produceEpisodeSchema.omit({ episodeId: true }),
    response: { status: 202, schema: producedTasksSchema, description: 'The tasks of the plan (enqueued now or already open)' },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'post',
    path: '/api/v1/episodes/{id}/assemble',
    operationId: 'assembleEpisode',
    summary:
      'Enqueue the episode cut: the scene cuts in scene order → metadata.finalVideo, thumbnail, subtitles (WebVTT from the dialogue timings) and duration; 409 naming the scenes not approved unless allowUnapproved, or without a scene cut',
    pathParams: ['id'],
    body: assembleEpisodeSchema.omit({ episodeId: true }),
    response: { status: 202, schema: taskSchema, description: 'The episode cut task (an open one is answered again)' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/scenes/{id}/review',
    operationId: 'reviewScene',
    summary: 'Review a scene in `reviewing` (members who may write it): approve → approved; reject → pending, and `regenerate` enqueues those parts again as a new attempt',
    pathParams: ['id'],
    body: reviewSceneSchema.omit({ sceneId: true }),
    response: { status: 200, schema: sceneSchema, description: 'The scene after the review' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'get',
    path: '/api/v1/scenes/{id}/takes',
    operationId: 'listSceneTakes',
    summary: "Every generated result of the scene by slot, newest first, with the one the slot points at now (earlier takes are kept)",
    pathParams: ['id'],
    response: { status: 200, schema: sceneTakesSchema, description: 'The takes by slot' },
    errors: [400, 401, 404],
  },
  {
    method: 'get',
    path: '/api/v1/audit-log',
    operationId: 'listAuditEntries',
    summary: 'The audit log, newest first, optionally of one document or operation (admins only)',
    query: findAuditEntriesSchema,
    response: { status: 200, schema: keysetPageOf(auditEntrySchema, 'AuditEntry'), description: 'One page of audit entries' },
    errors: [400, 401, 403],
  },
  {
    method: 'get',
    path: '/api/v1/tasks',
    operationId: 'listTasks',
    summary: 'Tasks in one status (queued by default), highest priority first, then oldest first',
    query: findTasksSchema,
    response: { status: 200, schema: keysetPageOf(taskSchema, 'Task'), description: 'One page of tasks' },
    errors: [400, 401],
  },
  {
    method: 'post',
    path: '/api/v1/prompt-templates/{id}/render',
    summary: 'Render a template (optionally an earlier version) with inputs; no model is called',
    pathParams: ['id'],
    body: renderPromptSchema,
    response: { status: 200, schema: renderedPromptSchema, description: 'The resolved prompt, the version used and the variables' },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'post',
    path: '/api/v1/prompt-templates/{id}/execute',
    summary:
      'Run a template for a project (members): 202 the queued task (script_generation for LLMs, image_generation for fal models); with ?wait=true, 200 the execution record of one inline attempt',
    pathParams: ['id'],
    query: executeQuerySchema,
    body: executePromptSchema,
    response: { status: 202, schema: taskSchema, description: 'The queued task (input.parameters names the template, version and inputs)' },
    alternative: { status: 200, schema: promptExecutionSchema, description: 'With ?wait=true: the execution record (status success or error)' },
    errors: [400, 401, 403, 404, 413, 429],
    errorNotes: paidWorkNotes,
  },
  {
    method: 'get',
    path: '/api/v1/projects/{id}/prompt-executions',
    summary: "The project's prompt executions, newest first, optionally of one status, model or template",
    pathParams: ['id'],
    query: findPromptExecutionsSchema.omit({ projectId: true }),
    response: { status: 200, schema: pageOf(promptExecutionSchema, 'PromptExecution'), description: 'One page of executions' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/sessions',
    summary: 'Start a conversation on one of your projects',
    body: startSessionSchema,
    response: { status: 201, schema: sessionSchema, description: 'The new session (active)' },
    errors: [400, 401, 404, 413],
  },
  {
    method: 'get',
    path: '/api/v1/sessions/{id}',
    summary: 'One of your sessions with its latest 20 messages (newest first)',
    pathParams: ['id'],
    response: { status: 200, schema: sessionWithMessagesSchema, description: 'The session' },
    errors: [400, 401, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/sessions/{id}',
    summary: 'Change the step, the context (documents of the same project) or the state (active ⇄ paused → completed | error)',
    pathParams: ['id'],
    body: patchSessionSchema,
    response: { status: 200, schema: sessionSchema, description: 'The changed session' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'get',
    path: '/api/v1/sessions/{id}/messages',
    summary: 'The conversation, newest first, by cursor',
    pathParams: ['id'],
    query: listMessagesSchema,
    response: { status: 200, schema: sessionMessagePageSchema, description: 'One page of messages' },
    errors: [400, 401, 404],
  },
  {
    method: 'post',
    path: '/api/v1/sessions/{id}/messages',
    summary: 'Append one message (concurrent appends all land, in one order)',
    pathParams: ['id'],
    body: appendMessageSchema,
    response: { status: 201, schema: sessionMessageSchema, description: 'The message with its sequence number' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/sessions/{id}/choices',
    summary: 'Offer the user choices; the session awaits their answer',
    pathParams: ['id'],
    body: offerChoicesSchema,
    response: { status: 200, schema: sessionSchema, description: 'The session with lastChoices and awaitingUserInput' },
    errors: [400, 401, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/sessions/{id}/choices/{choiceId}',
    summary: "The user's pick: recorded as their message; the session no longer awaits input",
    pathParams: ['id', 'choiceId'],
    pathParamSchemas: { choiceId: z.string().min(1).max(500) },
    operationId: 'postSessionsChoicePick',
    response: { status: 201, schema: choicePickSchema, description: 'The recorded message and the session' },
    errors: [400, 401, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/tasks',
    summary:
      'Enqueue a task (members of its project); episode, scene, character, dependencies, prompt execution and media of the same project; within the owner\'s tier budgets and the enqueue rate limit',
    body: createTaskSchema,
    response: { status: 201, schema: taskSchema, description: 'The queued task' },
    errors: [400, 401, 403, 404, 413, 429],
    errorNotes: paidWorkNotes,
  },
  {
    method: 'post',
    path: '/api/v1/tasks/claim',
    summary: 'Worker (API key): claim the next task of these types — highest priority, oldest, dependencies completed',
    body: claimTaskSchema,
    response: { status: 200, schema: claimedTaskSchema, description: 'The claimed task with its lease' },
    noContent: 'Nothing is claimable now',
    errors: [400, 401, 403, 413],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/heartbeat',
    summary: 'Worker: renew the lease and report progress; tells the worker when the task was cancelled',
    pathParams: ['id'],
    body: heartbeatSchema,
    response: { status: 200, schema: heartbeatResultSchema, description: 'The renewed lease' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/complete',
    summary: 'Worker: finish the held task with its output and metrics',
    pathParams: ['id'],
    body: completeTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The completed task' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/fail',
    summary: 'Worker: report a failure; queued again after its backoff while retries remain, otherwise failed for good',
    pathParams: ['id'],
    body: failTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The task, queued again or failed' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/cancel',
    summary: 'Members: cancel a task — a queued one at once, a processing one at its next heartbeat',
    pathParams: ['id'],
    body: cancelTaskSchema,
    response: { status: 200, schema: taskSchema, description: 'The task (cancelled, or processing until its heartbeat)' },
    errors: [400, 401, 403, 404, 409, 413],
  },
  {
    method: 'post',
    path: '/api/v1/tasks/{id}/retry',
    summary: 'Members: enqueue a failed or cancelled task again, as a new task with the same definition (optionally another priority)',
    pathParams: ['id'],
    body: retryTaskSchema,
    response: { status: 201, schema: taskSchema, description: 'The new queued task' },
    errors: [400, 401, 403, 404, 409, 413, 429],
    errorNotes: { ...paidWorkNotes, 409: 'The task is still open or completed (details.status, details.allowed)' },
  },
  {
    method: 'get',
    path: '/api/v1/search',
    summary: 'Full-text search over projects, episodes, scenes, characters and media the caller may read, best first',
    query: searchSchema,
    response: { status: 200, schema: searchPageSchema, description: 'One page of ranked hits' },
    errors: [400, 401, 429],
  },
  {
    method: 'post',
    path: '/api/v1/media/similar',
    summary: 'Media most similar (cosine of embeddings) to a media item or a vector, among media the caller may read',
    body: similarMediaBody,
    response: { status: 200, schema: similarMediaSchema, description: 'The most similar media, best first' },
    errors: [400, 401, 404, 409, 413, 429],
  },
]

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

/** The OpenAPI 3.1 document of /api/v1, generated from the zod schemas (nothing here is written by hand twice). */
export function buildOpenApiDocument({ serverUrl }: { serverUrl?: string } = {}) {
  const registry = z.registry<{ id: string }>()
  const paths: Record<string, Record<string, unknown>> = {}
  for (const endpoint of endpoints) {
    const parameters = [
      ...(endpoint.pathParams ?? []).map((name) => ({
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
