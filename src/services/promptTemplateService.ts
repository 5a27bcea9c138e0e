import type { PromptTemplate } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../collections/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'
import { createPromptTemplateSchema, findPromptTemplatesSchema, updatePromptTemplateSchema } from './schemas/promptTemplateSchemas'

export const promptTemplateListSelect = {
  name: true,
  app: true,
  feature: true,
  stage: true,
  model: true,
  tags: true,
  updatedAt: true,
} as const

const base = createCollectionService<PromptTemplate, typeof createPromptTemplateSchema, typeof updatePromptTemplateSchema>({
  slug: slugs.promptTemplates,
  resource: 'Prompt template',
  createSchema: createPromptTemplateSchema,
  updateSchema: updatePromptTemplateSchema,
  listSelect: promptTemplateListSelect,
})

/** Templates by app and stage (the app + stage index), by name. */
async function findByStage({ actor, ...input }: { actor: Actor } & z.input<typeof findPromptTemplatesSchema>): Promise<Page<PromptTemplate>> {
  const { app, stage, page, limit } = parseInput(findPromptTemplatesSchema, input)
  const where = { ...(app ? { app: { equals: app } } : {}), ...(stage ? { stage: { equals: stage } } : {}) }
  return base.list({ actor, where, sort: 'name', page, limit })
}

export const promptTemplateService = {
  create: base.create,
  findById: base.findById,
  findByStage,
  update: base.update,
  delete: base.delete,
}
