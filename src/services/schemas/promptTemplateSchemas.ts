import { z } from 'zod'

import { promptModels, variableTypes } from '../../model/options'
import { idSchema, paginationSchema, shortText, text } from './common'

const promptTemplateFields = {
  name: z.string().trim().min(1).max(200),
  app: shortText().nullish(),
  feature: shortText().nullish(),
  stage: shortText().nullish(),
  tags: z.array(z.object({ value: shortText().min(1) }).strict()).max(50),
  template: text(100_000).min(1),
  variableDefs: z
    .array(
      z
        .object({
          name: shortText().min(1),
          type: z.enum(variableTypes).optional(),
          required: z.boolean().optional(),
          description: text().nullish(),
          defaultValue: z.json().optional(),
        })
        .strict(),
    )
    .max(100),
  outputSchema: z.json().optional(),
  model: z.enum(promptModels).nullish(),
  notes: text().nullish(),
}

export const createPromptTemplateSchema = z
  .object(promptTemplateFields)
  .partial({ app: true, feature: true, stage: true, tags: true, variableDefs: true, outputSchema: true, model: true, notes: true })
  .strict()

export const updatePromptTemplateSchema = z.object(promptTemplateFields).partial().strict()

export const findPromptTemplatesSchema = paginationSchema
  .extend({ app: shortText().optional(), stage: shortText().optional() })
  .strict()

export type CreatePromptTemplateDTO = z.input<typeof createPromptTemplateSchema>
export type UpdatePromptTemplateDTO = z.input<typeof updatePromptTemplateSchema>

/** POST /api/v1/prompt-templates/{id}/render: inputs by variable name, optionally an earlier `_version`. */
export const renderPromptSchema = z
  .object({
    inputs: z.record(z.string(), z.json()).default({}),
    version: z.number().int().min(1).optional(),
  })
  .strict()

export const templateIdSchema = idSchema

export type RenderPromptDTO = z.input<typeof renderPromptSchema>

/** POST /api/v1/prompt-templates/{id}/execute: a run for one project, of the current or a pinned version. */
export const executePromptSchema = renderPromptSchema.extend({ projectId: idSchema }).strict()

/** `?wait=true` runs the attempt inline (up to PROMPT_WAIT_TIMEOUT_MS) and answers the execution record. */
export const executeQuerySchema = z.object({ wait: z.enum(['true', 'false']).optional() }).strict()

/** What a prompt task carries in `input.parameters`. */
export const promptTaskParametersSchema = z
  // target: the slot the run fills (a storyboard plan's scene, docs/QUEUE.md), checked when the task is enqueued;
  // production: how the plan's landing plans the rest of the scene (src/records/production/scenePlan.ts).
  .object({
    promptTemplateId: idSchema,
    templateVersion: z.number().int().min(1),
    inputs: z.record(z.string(), z.json()),
    target: z.json().optional(),
    production: z.json().optional(),
  })
  .strict()

export type ExecutePromptDTO = z.input<typeof executePromptSchema>
export type ExecuteQueryDTO = z.input<typeof executeQuerySchema>
