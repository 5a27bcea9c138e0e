import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { type FieldError, findProjectMismatches, type ProjectReference } from '../../../records/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../model/references'
import type { Character } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * A character stays in its project (the project cannot change once created), its relationships point at characters
 * of that project, and its reference images, final design and voice sample are media of that project.
 */
export const checkCharacterConsistency: CollectionBeforeChangeHook<Character> = async ({ data, originalDoc, operation, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  if (!projectId) return data // required-field validation reports it
  const errors: FieldError[] = []
  if (operation === 'update' && relationId(originalDoc?.project) !== projectId) {
    errors.push({ path: 'project', message: 'A character cannot move to another project: its scenes belong to this one.' })
  }
  const references: ProjectReference[] = []
  const relationships = (value('profile', 'relationships') ?? []) as { characterId?: unknown }[]
  relationships.forEach((relationship, index) => {
    const id = relationId(relationship?.characterId)
    if (id) references.push({ path: `profile.relationships.${index}.characterId`, collection: slugs.characters, id })
  })
  for (const id of relationIds(value('visualDesign', 'referenceImages'))) {
    references.push({ path: 'visualDesign.referenceImages', collection: slugs.media, id })
  }
  const finalDesign = relationId(value('visualDesign', 'finalDesign'))
  if (finalDesign) references.push({ path: 'visualDesign.finalDesign', collection: slugs.media, id: finalDesign })
  const audioSample = relationId(value('voiceProfile', 'audioSample'))
  if (audioSample) references.push({ path: 'voiceProfile.audioSample', collection: slugs.media, id: audioSample })
  errors.push(...(await findProjectMismatches({ req, projectId, references })))
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.characters, errors })
  return data
}
