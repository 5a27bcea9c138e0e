
import type { Scene } from '../payload-types'

import { slugs } from '../model/slugs'
import { relationId } from '../model/references'
import { reorderScenes } from '../records/sceneOrder'
import { recordAudit } from '../audit/recordAudit'
import { type Actor, requestOf, requireUser } from './actor'
import { createCollectionService } from './collectionService'
import { episodeService } from './episodeService'
import { type Page, parseInput } from './schemas/common'
import {
  createSceneSchema,
  findScenesByEpisodeSchema,
  type FindScenesByEpisodeDTO,
  reorderScenesSchema,
  type ReorderScenesDTO,
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

export type SceneOrder = { episode: string; scenes: { id: string; sceneNumber: number }[] }

/**
 * Re-orders an episode's scenes: `sceneIds` lists each of them once and they are numbered 1..n in that order
 * (src/records/sceneOrder.ts). Members of the episode's project (and admins) may; anyone else gets the 404 of an
 * episode they cannot see. Each scene whose number changed gets its audit entry, as an update through the API would.
 */
async function reorder({ actor, ...input }: { actor: Actor } & ReorderScenesDTO): Promise<SceneOrder> {
  requireUser(actor)
  const { episodeId, sceneIds } = parseInput(reorderScenesSchema, input)
  // Reading the episode is the membership check: episodes are read by the members of their project, who may also
  // write its scenes (src/access/projectScopedAccess.ts).
  const episode = await episodeService.findById({ actor, id: episodeId })
  const projectId = relationId(episode.project)!
  const req = await requestOf(actor)
  const { scenes, moves } = await reorderScenes({ req, projectId, episodeId, sceneIds })
  for (const move of moves) {
    await recordAudit({ req, entry: { operation: 'update', collection: slugs.scenes, documentId: move.id, changedFields: ['sceneNumber'] } })
  }
  return { episode: episodeId, scenes: scenes.map(({ id, sceneNumber }) => ({ id, sceneNumber })) }
}

export const sceneService = {
  create: base.create,
  findById: base.findById,
  findByEpisode,
  reorder,
  update: base.update,
  delete: base.delete,
}
