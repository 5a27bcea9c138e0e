import { z } from 'zod'

import { taskStatuses, taskTypes } from '../../model/options'
import { cursorSchema, idSchema, isoDate, nonNegative, paginationSchema, shortText, text } from './common'

const jsonValue = z.json()

export const createTaskSchema = z
  .object({
    taskType: z.enum(taskTypes),
    project: idSchema,
    episode: idSchema.nullish(),
    scene: idSchema.nullish(),
    character: idSchema.nullish(),
    priority: z.number().int().min(1).max(10).optional(),
    input: z
      .object({ promptId: idSchema.nullish(), parameters: jsonValue.optional(), dependencies: z.array(idSchema).max(100) })
      .strict()
      .partial()
      .optional(),
  })
  .strict()

export const updateTaskSchema = z
  .object({
    status: z.enum(taskStatuses),
    priority: z.number().int().min(1).max(10),
    output: z
      .object({
        mediaId: idSchema.nullish(),
        result: jsonValue.optional(),
        metrics: z
          .object({ processingTime: nonNegative().nullish(), cost: nonNegative().nullish(), tokensUsed: nonNegative().nullish() })
          .strict()
          .partial(),
      })
      .strict()
      .partial(),
    progress: z
      .object({ percentage: z.number().min(0).max(100), currentStep: shortText().nullish(), estimatedCompletion: isoDate().nullish() })
      .strict()
      .partial(),
    error: z
      .object({ message: text().nullish(), code: shortText().nullish(), retryCount: z.number().int().min(0), lastRetry: isoDate().nullish() })
      .strict()
      .partial(),
    completedAt: isoDate().nullish(),
  })
  .partial()
  .strict()

/** The queue view: status (default queued), optionally one project or task type; priority desc, oldest first. */
export const findTasksSchema = paginationSchema
  .extend({
    status: z.enum(taskStatuses).default('queued'),
    projectId: idSchema.optional(),
    taskType: z.enum(taskTypes).optional(),
    cursor: cursorSchema,
  })
  .strict()

export type CreateTaskDTO = z.input<typeof createTaskSchema>
export type UpdateTaskDTO = z.input<typeof updateTaskSchema>
export type FindTasksDTO = z.input<typeof findTasksSchema>

/** A worker names itself; the lease is held by this id (together with the API key's user). */
const workerIdSchema = z.string().min(1).max(200)

/**
 * The attempt the worker's claim answered: required on heartbeat, complete and fail, so a slot that lost its attempt
 * (expired and re-claimed, possibly by a sibling slot with the same worker id) cannot renew or settle the next one.
 */
const attemptSchema = z.number().int().min(1).max(1_000_000)

export const claimTaskSchema = z
  .object({ workerId: workerIdSchema, types: z.array(z.enum(taskTypes)).min(1).max(taskTypes.length).optional() })
  .strict()

export const heartbeatSchema = z
  .object({
    workerId: workerIdSchema,
    attempt: attemptSchema,
    progress: z
      .object({ percentage: z.number().min(0).max(100), currentStep: shortText().nullish(), estimatedCompletion: isoDate().nullish() })
      .strict()
      .partial()
      .optional(),
  })
  .strict()

export const completeTaskSchema = z
  .object({
    workerId: workerIdSchema,
    attempt: attemptSchema,
    output: z
      .object({
        mediaId: idSchema.nullish(),
        result: jsonValue.optional(),
        metrics: z.object({ cost: nonNegative().nullish(), tokensUsed: nonNegative().nullish() }).strict().partial().optional(),
      })
      .strict()
      .default({}),
  })
  .strict()

export const failTaskSchema = z
  .object({
    workerId: workerIdSchema,
    attempt: attemptSchema,
    error: z.object({ code: shortText().min(1), message: text().min(1) }).strict(),
    retryable: z.boolean().optional(),
  })
  .strict()

export const cancelTaskSchema = z.object({ reason: shortText().min(1).optional() }).strict()

/** A retry may change the priority (within the owner's tier); the rest of the definition is the task's. */
export const retryTaskSchema = z.object({ priority: z.number().int().min(1).max(10).optional() }).strict()
export type RetryTaskDTO = z.input<typeof retryTaskSchema>

export type ClaimTaskDTO = z.input<typeof claimTaskSchema>
export type HeartbeatDTO = z.input<typeof heartbeatSchema>
export type CompleteTaskDTO = z.input<typeof completeTaskSchema>
export type FailTaskDTO = z.input<typeof failTaskSchema>
export type CancelTaskDTO = z.input<typeof cancelTaskSchema>
