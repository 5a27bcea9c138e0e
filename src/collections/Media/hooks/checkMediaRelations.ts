import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { type FieldError, findProjectMismatches, loadReferenced, type ProjectReference } from '../../../records/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../model/references'
import type { Media } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * A medium's relations agree: its episode, scene, character and related characters belong to its project, and its
 * scene is in its episode.
 */
export const checkMediaRelations: CollectionBeforeChangeHook<Media> = async ({ data, originalDoc, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  const episodeId = relationId(value('episode'))
  const sceneId = relationId(value('scene'))
  const characterId = relationId(value('character'))
  const related = relationIds(value('relatedElements', 'characters'))
  const errors: FieldError[] = []
  const references: ProjectReference[] = []
  if (episodeId) references.push({ path: 'episode', collection: slugs.episodes, id: episodeId })
  if (sceneId) references.push({ path: 'scene', collection: slugs.scenes, id: sceneId })
  if (characterId) references.push({ path: 'character', collection: slugs.characters, id: characterId })
  for (const id of related) references.push({ path: 'relatedElements.characters', collection: slugs.characters, id })
  if (references.length === 0) return data
  if (!projectId) {
    // prepareMedia gives media the project of an existing parent; none exists, so Payload's relationship
    // validation reports the missing document.
    return data
  }
  errors.push(...(await findProjectMismatches({ req, projectId, references })))
  if (sceneId && episodeId && !errors.some((error) => error.path === 'scene')) {
    const scene = (await loadReferenced({ req, collection: slugs.scenes, ids: [sceneId], select: { episode: true } })).get(sceneId)
    const sceneEpisode = relationId(scene?.episode)
    if (scene && sceneEpisode !== episodeId) {
      errors.push({ path: 'scene', message: `Scene ${sceneId} is in episode ${sceneEpisode}, not in episode ${episodeId}.` })
    }
  }
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.media, errors })
  return data
}
