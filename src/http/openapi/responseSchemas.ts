import { z } from 'zod'

import {
  aspectRatios,
  conversationRoles,
  episodeStatuses,
  executionStatuses,
  genres,
  mediaStatuses,
  mediaTypes,
  projectPhases,
  projectStatuses,
  qualityTiers,
  sceneProductionStatuses,
  screenplayImportPhases,
  sessionStates,
  targetAudiences,
  taskStatuses,
  taskTypes,
  timesOfDay,
  variableTypes,
} from '../../model/options'
import { auditAuthMethods, auditOperations } from '../../model/audit'
import { searchTypes } from '../../search/searchSources'
import { idSchema } from '../../services/schemas/common'
import { taskTargetSchema } from '../../services/schemas/productionSchemas'
import { importReportSchema, shotListReportSchema } from '../../services/schemas/screenplaySchemas'

/**
 * Response shapes for the OpenAPI document. Objects are closed (additionalProperties: false): every field a
 * response carries is listed here, so tests/e2e/api/v1/contract.e2e.spec.ts fails when a service starts returning
 * a field the document does not describe. List shapes follow the services' list projections (`*ListSelect`).
 */
const id = z.string().describe('Document id (24 hex characters)')
const timestamp = z.string().meta({ format: 'date-time' })
const optionalTimestamp = timestamp.nullish()

export const errorSchema = z
  .object({
    error: z.object({
      status: z.number().int(),
      code: z.string().describe('Stable machine-readable code, e.g. VALIDATION_FAILED, NOT_FOUND, CONFLICT, RATE_LIMITED'),
      message: z.string(),
      details: z
        .looseObject({ issues: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
        .optional()
        .describe('What the client needs to act: `issues[].path` on 400, `allowed`/`children` on 409, `limit` on quota 403, `retryAfterSeconds` on 429'),
    }),
  })
  .meta({ id: 'Error' })

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      docs: z.array(item),
      page: z.number().int(),
      limit: z.number().int(),
      totalDocs: z.number().int(),
      totalPages: z.number().int(),
      hasNextPage: z.boolean(),
      hasPrevPage: z.boolean(),
    })
    .meta({ id: `${name}Page` })

/** A page of a list that also pages by keyset (tasks, media): pageOf plus the cursor of the next page. */
export const keysetPageOf = <T extends z.ZodType>(item: T, name: string) =>
  pageOf(item, name)
    .extend({ nextCursor: z.string().nullable().describe('Pass as `cursor` for the next page; null on the last page') })
    .meta({ id: `${name}KeysetPage` })

const projectProgress = z.object({
  currentPhase: z.enum(projectPhases).nullish(),
  completedSteps: z.array(z.string()).nullish(),
  overallProgress: z.number().nullish().describe('Derived from scene approval; read-only'),
})

/** A project as lists return it (projectListSelect). */
export const projectSummarySchema = z
  .object({
    id,
    title: z.string(),
    genre: z.enum(genres).nullish(),
    targetAudience: z.enum(targetAudiences).nullish(),
    status: z.enum(projectStatuses).nullish(),
    episodeCount: z.number().int().nullish(),
    createdBy: id.nullish(),
    collaborators: z.array(id).nullish(),
    progress: projectProgress.optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'ProjectSummary' })

/** A whole project (by id, overview). */
export const projectSchema = projectSummarySchema
  .extend({
    description: z.string().nullish(),
    styleReferences: z.array(id).nullish(),
    projectSettings: z
      .object({
        aspectRatio: z.enum(aspectRatios).nullish(),
        episodeDuration: z.number().nullish(),
        qualityTier: z.enum(qualityTiers).nullish(),
      })
      .optional(),
  })
  .meta({ id: 'Project' })

export const sceneSchema = z
  .object({
    id,
    episode: id,
    sceneNumber: z.number().int().nullish(),
    title: z.string().nullish(),
    location: z.string().nullish(),
    timeOfDay: z.enum(timesOfDay).nullish(),
    mood: z.string().nullish(),
    characters: z.array(id).nullish(),
    production: z
      .object({
        status: z.enum(sceneProductionStatuses).nullish(),
        attempts: z.number().int().nullish().describe('Counted by the server; read-only'),
        lastAttempt: optionalTimestamp,
        videoSegment: id.nullish(),
        audioTrack: id.nullish(),
        sceneCut: id.nullish().describe('The assembled scene (H.264/AAC MP4), filled by its scene_assembly task'),
        reviewNote: z.string().nullish().describe('The note of the latest review'),
      })
      .optional(),
    storyboard: z
      .object({
        panels: z
          .array(z.object({ panelNumber: z.number().nullish(), description: z.string().nullish(), cameraAngle: z.string().nullish(), image: id.nullish() }))
          .nullish(),
      })
      .optional(),
    script: z.object({ duration: z.number().nullish() }).optional(),
    updatedAt: timestamp,
  })
  .meta({ id: 'Scene' })

export const sceneOrderSchema = z
  .object({
    episode: id,
    scenes: z.array(z.object({ id, sceneNumber: z.number().int().min(1) })).describe('Every scene of the episode, in its new order'),
  })
  .meta({ id: 'SceneOrder' })

const taskProgress = z.object({
  percentage: z.number().nullish(),
  currentStep: z.string().nullish(),
  estimatedCompletion: optionalTimestamp,
})

/** An audit entry as the audit-log list returns it (auditEntrySelect). */
export const auditEntrySchema = z
  .object({
    id,
    operation: z.enum(auditOperations),
    collectionSlug: z.string(),
    documentId: z.string().nullish(),
    user: id.nullish(),
    userEmail: z.string().nullish(),
    authMethod: z.enum(auditAuthMethods).nullish(),
    changedFields: z.array(z.string()).nullish(),
    ip: z.string().nullish(),
    workerId: z.string().nullish().describe('Task transitions: the worker'),
    attempt: z.number().int().nullish().describe('Task transitions: the attempt'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'AuditEntry' })

export const taskSchema = z
  .object({
    id,
    taskType: z.enum(taskTypes),
    project: id,
    episode: id.nullish(),
    scene: id.nullish(),
    status: z.enum(taskStatuses).nullish(),
    priority: z.number().int().nullish(),
    progress: taskProgress.optional(),
    createdAt: timestamp,
    updatedAt: timestamp,
    // The whole document (create, execute, claim, complete, fail, cancel) also carries these; lists leave them out.
    character: id.nullish(),
    fills: z.string().nullish().describe('The field the result fills (input.parameters.target), for display; read-only'),
    input: z
      .object({
        promptId: id.nullish().describe('The prompt execution record of a template task'),
        parameters: z
          .object({ target: taskTargetSchema.optional() })
          .catchall(z.unknown())
          .nullish()
          .describe(
            'Provider arguments; a template task names promptTemplateId, templateVersion and inputs. `target` names the field the result fills (checked at enqueue: 400 naming input.parameters.target.*); `{ fromTask: <id> }` values are replaced by that dependency\'s media when the task is claimed',
          ),
        dependencies: z.array(id).nullish(),
      })
      .optional(),
    output: z
      .object({
        mediaId: id.nullish(),
        result: z.unknown().optional().describe('What the worker reported; absent until the task completes'),
        metrics: z.object({ processingTime: z.number().nullish(), cost: z.number().nullish(), tokensUsed: z.number().nullish() }).optional(),
      })
      .optional(),
    error: z
      .object({ message: z.string().nullish(), code: z.string().nullish(), retryCount: z.number().int().nullish(), lastRetry: optionalTimestamp })
      .optional(),
    worker: z.object({ workerId: z.string().nullish(), startedAt: optionalTimestamp, heartbeat: optionalTimestamp }).optional(),
    completedAt: optionalTimestamp,
    lease: z
      .object({ attempt: z.number().int().nullish(), expiresAt: optionalTimestamp, availableAt: optionalTimestamp })
      .optional(),
  })
  .meta({ id: 'Task' })

export const producedTasksSchema = z.object({ tasks: z.array(taskSchema) }).meta({ id: 'ProducedTasks' })

export const claimedTaskSchema = taskSchema
  .extend({
    attempt: z.number().int().describe('The attempt this claim holds: send it with every heartbeat, complete and fail'),
    leaseExpiresAt: timestamp.describe('Heartbeat before this or the task is taken back'),
  })
  .meta({ id: 'ClaimedTask' })

export const heartbeatResultSchema = z
  .object({
    leaseExpiresAt: timestamp.nullable().describe('The renewed lease; null when the task was cancelled'),
    cancelRequested: z.boolean().describe('The task was cancelled: stop working on it'),
  })
  .meta({ id: 'HeartbeatResult' })

/** The `data` of one Server-Sent Event of GET /api/v1/projects/{id}/events (its `event:` line is the `type`). */
export const projectEventSchema = z
  .discriminatedUnion('type', [
    z
      .object({
        type: z.literal('task.status'),
        taskId: id,
        taskType: z.enum(taskTypes),
        status: z.enum(taskStatuses),
        attempt: z.number().int().describe('The attempt the change belongs to (0: enqueued)'),
        workerId: z.string().optional(),
        reason: z.string().optional().describe('Why it failed or was cancelled'),
        at: timestamp,
      })
      .strict(),
    z
      .object({
        type: z.literal('task.progress'),
        taskId: id,
        taskType: z.enum(taskTypes),
        attempt: z.number().int(),
        progress: z
          .object({ percentage: z.number().optional(), currentStep: z.string().nullish(), estimatedCompletion: timestamp.nullish() })
          .strict(),
        at: timestamp,
      })
      .strict(),
    z
      .object({ type: z.literal('media.created'), mediaId: id, mediaType: z.string().nullable(), taskId: id.nullish(), at: timestamp })
      .strict(),
    z
      .object({
        type: z.literal('screenplay.import'),
        episodeId: id,
        phase: z
          .enum(screenplayImportPhases)
          .describe('writing: `done` of `total` scenes written (one event per scene); then the outcome: completed, undone (failed, what was written removed) or failed (a replace failed removing the old scenes)'),
        done: z.number().int().describe('Scenes written so far'),
        total: z.number().int().describe("The screenplay's scenes"),
        at: timestamp,
      })
      .strict(),
  ])
  .meta({ id: 'ProjectEvent' })

export const mediaSchema = z
  .object({
    id,
    project: id.nullish(),
    episode: id.nullish(),
    scene: id.nullish(),
    character: id.nullish(),
    filename: z.string().nullish(),
    mimeType: z.string().nullish(),
    filesize: z.number().nullish(),
    width: z.number().nullish(),
    height: z.number().nullish(),
    url: z.string().nullish(),
    thumbnailURL: z.string().nullish(),
    alt: z.string().nullish(),
    mediaType: z.enum(mediaTypes),
    status: z.enum(mediaStatuses).nullish(),
    version: z.number().int().nullish(),
    tags: z.array(z.string()).nullish(),
    agentGenerated: z.boolean().nullish(),
    createdAt: timestamp,
  })
  .meta({ id: 'Media' })

const usageFigures = z
  .object({
    tasks: z.number().int(),
    cost: z.number(),
    tokensUsed: z.number(),
    processingTime: z.number().describe('Seconds'),
  })
  .strict()

export const overviewSchema = z
  .object({
    project: projectSchema,
    episodes: z.array(
      z.object({
        id,
        episodeNumber: z.number().int(),
        title: z.string(),
        status: z.enum(episodeStatuses).nullish(),
        sceneCount: z.number().int(),
        completedScenes: z.number().int(),
        progress: z.number().describe('Approved scenes as a percentage of all scenes'),
        renderProgress: z.number(),
      }),
    ),
    characters: z.array(z.object({ id, name: z.string(), description: z.string().nullish() })),
    latestMedia: z.array(
      mediaSchema.pick({ id: true, filename: true, mediaType: true, status: true, url: true, thumbnailURL: true, createdAt: true }),
    ),
    openTasks: z.array(
      taskSchema.pick({ id: true, taskType: true, status: true, priority: true, episode: true, scene: true, createdAt: true }),
    ),
    cost: z.object({ total: z.number(), completedTasks: z.number().int(), openTasks: z.number().int() }),
    usage: z
      .object({
        total: usageFigures,
        byTaskType: z.array(usageFigures.extend({ taskType: z.enum(taskTypes) }).strict()),
        byEpisode: z.array(usageFigures.extend({ episode: id.nullable().describe('null: tasks of no episode') }).strict()),
      })
      .describe("Sums of the tasks' output.metrics, recomputed on each read"),
  })
  .meta({ id: 'ProjectOverview' })

export const renderedPromptSchema = z
  .object({
    resolvedPrompt: z.string(),
    version: z.number().int().describe("The template's _version that was rendered"),
    variables: z.array(
      z.object({
        name: z.string(),
        type: z.enum(variableTypes),
        required: z.boolean(),
        description: z.string().nullable(),
        defaultValue: z.unknown(),
        value: z.unknown().describe('The value the render used (input, default, or empty)'),
      }),
    ),
  })
  .meta({ id: 'RenderedPrompt' })

export const promptExecutionSchema = z
  .looseObject({
    id,
    templateId: id.nullish(),
    templateVersion: z.number().int().nullish(),
    projectId: z.string().nullish(),
    model: z.string().nullish(),
    status: z.enum(executionStatuses),
    startedAt: timestamp.nullish(),
    finishedAt: timestamp.nullish(),
    createdAt: timestamp,
  })
  .meta({ id: 'PromptExecution' })

export const sessionSchema = z
  .looseObject({
    id,
    project: id,
    user: id,
    sessionState: z.enum(sessionStates),
    currentStep: z.string().nullish(),
    awaitingUserInput: z.boolean().nullish(),
    contextData: z.looseObject({}).nullish(),
    lastChoices: z
      .array(z.looseObject({ choiceId: z.string(), label: z.string().nullish(), action: z.string().nullish(), metadata: z.unknown().optional() }))
      .nullish(),
    conversationHistory: z.array(z.looseObject({})).nullish().describe('Copy of the latest 50 messages'),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .meta({ id: 'Session' })

export const sessionMessageSchema = z
  .object({
    id,
    session: id,
    seq: z.number().int().describe('Position in the conversation: 1, 2, 3… (a total order)'),
    role: z.enum(conversationRoles),
    content: z.string(),
    metadata: z.unknown().optional(),
    timestamp,
  })
  .meta({ id: 'SessionMessage' })

export const sessionMessagePageSchema = z
  .object({
    docs: z.array(sessionMessageSchema).describe('Newest first'),
    nextCursor: z.string().nullable().describe('Pass as `before` for the older messages (unchanged: a string of digits); null on the oldest page'),
  })
  .meta({ id: 'SessionMessagePage' })

export const sessionWithMessagesSchema = sessionSchema.extend({ messages: sessionMessagePageSchema }).meta({ id: 'SessionWithMessages' })

export const choicePickSchema = z.object({ message: sessionMessageSchema, session: sessionSchema }).meta({ id: 'ChoicePick' })
const searchHitSchema = z.object({
  type: z.enum(searchTypes),
  id,
  title: z.string(),
  project: id.nullable().describe("The hit's project (a project hit names itself)"),
  snippet: z.string().describe('HTML-escaped excerpt; matched words wrapped in <mark>'),
  score: z.number().describe('Relevance; comparable within one answer only'),
})

export const searchPageSchema = pageOf(searchHitSchema, 'SearchHit')
  .extend({
    ranking: z.enum(['text-index', 'atlas-search', 'scan']).describe('MongoDB $text, Atlas Search, or the regex-scan fallback'),
    isTruncated: z.boolean().describe('The fallback stopped at its scan cap: totals cover the newest matches only'),
  })
  .meta({ id: 'SearchPage' })

export const similarMediaSchema = z
  .object({
    docs: z.array(mediaSchema.extend({ score: z.number().describe('Cosine similarity, -1 to 1') })),
    limit: z.number().int(),
    strategy: z.enum(['vector-index', 'exact']).describe('$vectorSearch (approximate) or the exact in-memory top-k'),
  })
  .meta({ id: 'SimilarMedia' })

export const sceneTakesSchema = z
  .object({
    scene: id,
    slots: z.array(
      z.object({
        slot: z.string().describe('e.g. storyboard.panels.0.image, production.videoSegment'),
        current: id.nullable().describe('The media the slot points at now'),
        takes: z.array(mediaSchema),
      }),
    ),
  })
  .meta({ id: 'SceneTakes' })

// Answers of the membership and invitation routes.
export const membersSchema = z.object({ members: z.array(z.object({ id: idSchema, name: z.string().nullable(), role: z.enum(['owner', 'collaborator']) })) }).meta({ id: 'Members' })
export const invitedSchema = z.object({ status: z.literal('invited'), email: z.string(), kind: z.enum(['collaborator', 'ownership']) }).meta({ id: 'Invited' })
export const pendingInvitationsSchema = z.object({
  docs: z.array(
    z.object({ id: idSchema, kind: z.enum(['collaborator', 'ownership']), project: z.object({ id: idSchema, title: z.string() }), createdAt: z.string() }),
  ),
}).meta({ id: 'PendingInvitations' })
export const answeredSchema = z.object({ status: z.enum(['accepted', 'declined']) }).loose().meta({ id: 'InvitationAnswer' })
export const sentInvitationsSchema = z.object({
  docs: z.array(z.object({ id: idSchema, kind: z.enum(['collaborator', 'ownership']), email: z.string(), createdAt: z.string() })),
}).meta({ id: 'SentInvitations' })
export const withdrawnSchema = z.object({ status: z.literal('withdrawn'), id: idSchema }).meta({ id: 'InvitationWithdrawn' })
export const emailConfirmedSchema = z.object({ status: z.literal('confirmed'), email: z.string() }).meta({ id: 'EmailConfirmed' })
/** POST /episodes/{id}/import: what the import (or its dry run) created or would create. */
export const screenplayImportSchema = importReportSchema.meta({ id: 'ScreenplayImport' })
/** POST /episodes/{id}/scenes.csv: the per-row report of a shot-list import. */
export const shotListImportSchema = shotListReportSchema.meta({ id: 'ShotListImport' })
/** A downloaded file (a script, a shot list): its text. */
export const scriptFileSchema = z.string().meta({ id: 'ScriptFile', description: 'Fountain text or Final Draft XML, as a download (Content-Disposition: attachment)' })
export const shotListFileSchema = z
  .string()
  .meta({ id: 'ShotListFile', description: 'CSV (RFC 4180, CRLF, UTF-8): a header row, then id, episode, sceneNumber, title, location, timeOfDay, mood, duration, characters, productionStatus, attempts, panelCount, media per scene' })
