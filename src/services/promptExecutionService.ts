import type { PromptsExecuted } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../collections/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'
import {
  createPromptExecutionSchema,
  findPromptExecutionsSchema,
  updatePromptExecutionSchema,
} from './schemas/promptExecutionSchemas'

export const promptExecutionListSelect = {
  templateId: true,
  app: true,
  feature: true,
  stage: true,
  projectId: true,
  model: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const

const base = createCollectionService<PromptsExecuted, typeof createPromptExecutionSchema, typeof updatePromptExecutionSchema>({
  slug: slugs.promptsExecuted,
  resource: 'Prompt execution',
  createSchema: createPromptExecutionSchema,
  updateSchema: updatePromptExecutionSchema,
  listSelect: promptExecutionListSelect,
})

/** Executions of a project (projectId + status index), newest first. */
async function findByProject({ actor, ...input }: { actor: Actor } & z.input<typeof findPromptExecutionsSchema>): Promise<Page<PromptsExecuted>> {
  const { projectId, status, page, limit } = parseInput(findPromptExecutionsSchema, input)
  const where = { ...(projectId ? { projectId: { equals: projectId } } : {}), ...(status ? { status: { equals: status } } : {}) }
  return base.list({ actor, where, sort: '-createdAt', page, limit })
}

export const promptExecutionService = {
  create: base.create,
  findById: base.findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
