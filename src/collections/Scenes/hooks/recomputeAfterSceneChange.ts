import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import {
  isDerivedFiguresSkipped,
  scheduleCharacterAppearances,
  scheduleEpisodeProduction,
} from '../../../records/derivedFigures'
import { relationId, relationIds } from '../../../model/references'
import type { Scene } from '../../../payload-types'

/** The characters a scene casts or gives a line to. */
function castOf(scene: Partial<Scene> | undefined): string[] {
  if (!scene) return []
  const speakers = (scene.script?.dialogue ?? []).map((line) => relationId(line.character))
  return [...new Set([...relationIds(scene.characters), ...speakers].filter((id): id is string => Boolean(id)))]
}

/** What the derived figures read of a scene: its episode, project, number, production status and cast (with screen time). */
function figureSources(scene: Partial<Scene>): string {
  return JSON.stringify([
    relationId(scene.episode),
    relationId(scene.project),
    scene.sceneNumber ?? null,
    scene.production?.status ?? null,
    castOf(scene),
    scene.script?.duration ?? null,
    (scene.script?.dialogue ?? []).map((line) => [relationId(line.character), line.timing ?? null]),
  ])
}

/**
 * A scene change recounts the production figures of its episode (and of the one it left) and the appearances of
 * every character it casts or cast, after the request's commit. An update that changes none of what they are counted
 * from (a retitle, a new description) recounts nothing: the figures cannot have moved.
 */
export const recomputeAfterSceneChange: CollectionAfterChangeHook<Scene> = async ({ doc, previousDoc, operation, req }) => {
  if (isDerivedFiguresSkipped(req)) return doc
  if (operation === 'update' && previousDoc && figureSources(doc) === figureSources(previousDoc)) return doc
  const before = operation === 'update' ? previousDoc : undefined
  // Each episode with its project (a scene's project is its episode's), so the recount names the project.
  const episodes = new Map<string, string>()
  for (const scene of [doc, before]) {
    const episodeId = relationId(scene?.episode)
    const projectId = relationId(scene?.project)
    if (episodeId && projectId) episodes.set(episodeId, projectId)
  }
  for (const [episodeId, projectId] of episodes) await scheduleEpisodeProduction({ req, episodeId, projectId })
  for (const characterId of new Set([...castOf(doc), ...castOf(before)])) {
    await scheduleCharacterAppearances({ req, characterId })
  }
  return doc
}

export const recomputeAfterSceneDelete: CollectionAfterDeleteHook<Scene> = async ({ doc, req }) => {
  if (isDerivedFiguresSkipped(req)) return
  const episodeId = relationId(doc.episode)
  const projectId = relationId(doc.project)
  if (episodeId && projectId) await scheduleEpisodeProduction({ req, episodeId, projectId })
  for (const characterId of castOf(doc)) await scheduleCharacterAppearances({ req, characterId })
}
