import { z } from 'zod'

import { taskStatuses, taskTypes } from '../../collections/options'
import { idSchema, isoDate, nonNegative, paginationSchema, shortText, text } from './common'

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
  })
  .strict()

export type CreateTaskDTO = z.input<typeof createTaskSchema>
export type UpdateTaskDTO = z.input<typeof updateTaskSchema>
export type FindTasksDTO = z.input<typeof findTasksSchema>
