import type { Episode } from '../payload-types'

import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import {
  createEpisodeSchema,
  type CreateEpisodeDTO,
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

const base = createCollectionService<Episode, typeof createEpisodeSchema, typeof updateEpisodeSchema>({
  slug: slugs.episodes,
  resource: 'Episode',
  createSchema: createEpisodeSchema,
  updateSchema: updateEpisodeSchema,
  listSelect: episodeListSelect,
})

/** Creates an episode in a project the caller can see (the Episodes hooks enforce the episodes-per-project quota). */
async function create({ actor, data }: { actor: Actor; data: CreateEpisodeDTO }): Promise<Episode> {
  const input = parseInput(createEpisodeSchema, data)
  await projectService.findById({ actor, id: input.project })
  return base.create({ actor, data: input })
}

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
  create,
  findById: base.findById,
  findByProject,
  update: base.update,
  delete: base.delete,
}
