import type { Episode } from '../payload-types'

import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import {
  createEpisodeSchema,
  findEpisodesByProjectSchema,
  type FindEpisodesByProjectDTO,
  updateEpisodeSchema,
} from './schemas/episodeSchemas'

export const episodeListSelect = {
  project: true,
  episodeNumber: true,
  title: true,
  status: true,
  production: true,
  updatedAt: true,
} as const

const base = createCollectionService({
  slug: slugs.episodes,
  resource: 'Episode',
  createSchema: createEpisodeSchema,
  updateSchema: updateEpisodeSchema,
  listSelect: episodeListSelect,
  parent: { field: 'project', findById: (args) => projectService.findById(args) },
})

/** A project's episodes in episode order. 404 when the project is not visible to the caller. */
async function findByProject({ actor, ...input }: { actor: Actor } & FindEpisodesByProjectDTO): Promise<Page<Episode>> {
  const { projectId, status, page, limit } = parseInput(findEpisodesByProjectSchema, input)
  const where = { project: { equals: projectId }, ...(status ? { status: { equals: status } } : {}) }
  const result = await base.list({ actor, where, sort: 'episodeNumber', page, limit })
  // An empty page may mean "no such project": only then pay for the existence check.
  if (result.docs.length === 0) await projectService.findById({ actor, id: projectId })
  return result
}

export const episodeService = {
  create: base.create,
  findById: base.findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
