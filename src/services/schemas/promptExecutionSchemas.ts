import { z } from 'zod'

import { executionStatuses } from '../../model/options'
import { idSchema, isoDate, paginationSchema, shortText, text } from './common'

/** Executions are an audit trail: recorded once, never edited through the service. */
export const createPromptExecutionSchema = z
  .object({
    templateId: idSchema.nullish(),
    templateVersion: z.number().int().min(1).nullish(),
    app: shortText().nullish(),
    feature: shortText().nullish(),
    stage: shortText().nullish(),
    projectId: idSchema.nullish(),
    tagsSnapshot: z.array(z.object({ value: shortText() }).strict()).max(50).optional(),
    inputs: z.json().optional(),
    resolvedPrompt: text(200_000).nullish(),
    model: shortText().nullish(),
    status: z.enum(executionStatuses),
    outputRaw: z.json().optional(),
    errorMessage: text().nullish(),
    startedAt: isoDate().nullish(),
    finishedAt: isoDate().nullish(),
    notes: text().nullish(),
  })
  .strict()

export const updatePromptExecutionSchema = z.object({ notes: text().nullish() }).strict()

export const findPromptExecutionsSchema = paginationSchema
  .extend({
    projectId: idSchema.optional(),
    status: z.enum(executionStatuses).optional(),
    model: shortText().optional(),
    templateId: idSchema.optional(),
  })
  .strict()

export type FindPromptExecutionsDTO = z.input<typeof findPromptExecutionsSchema>

export type CreatePromptExecutionDTO = z.input<typeof createPromptExecutionSchema>
