import { z } from 'zod'

import { productionSteps } from '../../records/production/scenePlan'
import { slotRules } from '../../records/taskTargets'
import { regenerableSceneParts } from '../../model/options'
import { idSchema, text } from './common'

export const produceEpisodeSchema = z
  .object({
    episodeId: idSchema,
    scenes: z.array(idSchema).min(1).max(200).optional().describe("The scenes to produce (default: all of the episode's)"),
    steps: z.array(z.enum(productionSteps)).min(1).optional().describe('The steps to plan (default: all)'),
    priority: z.number().int().min(1).max(10).optional().describe('Priority of the enqueued tasks (default 5)'),
    force: z.boolean().optional().describe('Regenerate slots that are already filled'),
  })
  .strict()
export type ProduceEpisodeDTO = z.input<typeof produceEpisodeSchema>

export const reviewSceneSchema = z
  .object({
    sceneId: idSchema,
    decision: z.enum(['approve', 'reject']),
    note: text(2_000).optional(),
    regenerate: z.array(z.enum(regenerableSceneParts)).min(1).optional().describe('On reject: the parts to generate again, as a new attempt'),
  })
  .strict()
export type ReviewSceneDTO = z.input<typeof reviewSceneSchema>

export const assembleEpisodeSchema = z
  .object({
    episodeId: idSchema,
    allowUnapproved: z.boolean().optional().describe('Assemble even when some scenes are not approved'),
    priority: z.number().int().min(1).max(10).optional(),
  })
  .strict()
export type AssembleEpisodeDTO = z.input<typeof assembleEpisodeSchema>

const slotNames = [...new Set(Object.values(slotRules).flatMap((rules) => Object.keys(rules)))] as [string, ...string[]]

/** The target of a task (input.parameters.target): the field its result fills (docs/QUEUE.md, Targets). */
export const taskTargetSchema = z
  .object({
    collection: z.enum(['scenes', 'characters', 'episodes']),
    id: idSchema,
    slot: z.enum(slotNames),
    panel: z.number().int().min(0).optional().describe('The storyboard panel (0-based), for storyboard.panels.image'),
  })
  .strict()
