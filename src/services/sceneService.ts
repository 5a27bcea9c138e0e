import type { Scene } from '../payload-types'

import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { episodeService } from './episodeService'
import { type Page, parseInput } from './schemas/common'
import {
  createSceneSchema,
  findScenesByEpisodeSchema,
  type FindScenesByEpisodeDTO,
  updateSceneSchema,
} from './schemas/sceneSchemas'

export const sceneListSelect = {
  episode: true,
  sceneNumber: true,
  title: true,
  location: true,
  timeOfDay: true,
  mood: true,
  characters: true,
  production: { status: true, attempts: true, lastAttempt: true },
  script: { duration: true },
  updatedAt: true,
} as const

const base = createCollectionService({
  slug: slugs.scenes,
  resource: 'Scene',
  createSchema: createSceneSchema,
  updateSchema: updateSceneSchema,
  listSelect: sceneListSelect,
  parent: { field: 'episode', findById: (args) => episodeService.findById(args) },
})

/** An episode's scenes in scene order (the spec's "scenes for an episode"). 404 when the episode is not visible. */
async function findByEpisode({ actor, ...input }: { actor: Actor } & FindScenesByEpisodeDTO): Promise<Page<Scene>> {
  const { episodeId, status, page, limit } = parseInput(findScenesByEpisodeSchema, input)
  const where = { episode: { equals: episodeId }, ...(status ? { 'production.status': { equals: status } } : {}) }
  const result = await base.list({ actor, where, sort: 'sceneNumber', page, limit })
  if (result.docs.length === 0) await episodeService.findById({ actor, id: episodeId })
  return result
}

export const sceneService = {
  create: base.create,
  findById: base.findById,
  findByEpisode,
  update: base.update,
  delete: base.delete,
}
