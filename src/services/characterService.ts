import type { Character } from '../payload-types'

import { slugs } from '../model/slugs'
import { cacheTags } from '../lib/cache'
import type { Actor } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import {
  createCharacterSchema,
  findCharactersByProjectSchema,
  type FindCharactersByProjectDTO,
  updateCharacterSchema,
} from './schemas/characterSchemas'

export const characterListSelect = {
  project: true,
  name: true,
  description: true,
  profile: { age: true, gender: true, personality: true },
  visualDesign: { finalDesign: true },
  updatedAt: true,
} as const

const base = createCollectionService({
  slug: slugs.characters,
  resource: 'Character',
  createSchema: createCharacterSchema,
  updateSchema: updateCharacterSchema,
  listSelect: characterListSelect,
  // A character is visible through its project: every read re-reads the project (itself cached and invalidated by
  // project writes), so removing a collaborator hides the project's characters at once.
  parent: { field: 'project', findById: (args) => projectService.findById(args), readThrough: true },
  cached: { tag: cacheTags.character },
})

/** A project's characters by name. 404 when the project is not visible to the caller. */
async function findByProject({ actor, ...input }: { actor: Actor } & FindCharactersByProjectDTO): Promise<Page<Character>> {
  const { projectId, page, limit } = parseInput(findCharactersByProjectSchema, input)
  const result = await base.list({ actor, where: { project: { equals: projectId } }, sort: 'name', page, limit })
  if (result.docs.length === 0) await projectService.findById({ actor, id: projectId })
  return result
}

export const characterService = {
  create: base.create,
  findById: base.findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
