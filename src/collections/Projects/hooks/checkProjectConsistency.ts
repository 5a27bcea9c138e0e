import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { highestNumber } from '../../../records/numbering'
import { loadReferenced, type FieldError } from '../../../records/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../model/references'
import type { Project } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * `episodeCount` cannot drop below the highest episode number in use, and style references are media of this
 * project (on create, media not yet assigned to any project).
 */
export const checkProjectConsistency: CollectionBeforeChangeHook<Project> = async ({ data, originalDoc, operation, req }) => {
  const errors: FieldError[] = []
  const projectId = operation === 'update' ? String(originalDoc?.id) : undefined

  const episodeCount = effectiveValue({ data, originalDoc, path: ['episodeCount'] })
  if (projectId && typeof episodeCount === 'number' && episodeCount !== originalDoc?.episodeCount) {
    const highest = await highestNumber({ req, kind: 'episodes', parentId: projectId, projectId })
    if (episodeCount < highest) {
      errors.push({ path: 'episodeCount', message: `The project already has episode ${highest}; the episode count cannot be ${episodeCount}.` })
    }
  }

  const ids = relationIds(effectiveValue({ data, originalDoc, path: ['styleReferences'] }))
  const media = await loadReferenced({ req, collection: slugs.media, ids, select: { project: true } })
  for (const id of ids) {
    const doc = media.get(id)
    if (!doc) continue // Payload's relationship validation reports a missing document
    const owner = relationId(doc.project)
    if (owner !== projectId) {
      // The same words whatever holds the medium: nobody learns of another project's media (or its id).
      errors.push({ path: 'styleReferences', message: `Media ${id} does not exist in this project; style references are media of the project.` })
    }
  }
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.projects, errors })
  return data
}
