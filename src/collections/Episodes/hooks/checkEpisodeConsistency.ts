import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { type FieldError, findProjectMismatches, type ProjectReference } from '../../../records/projectConsistency'
import { effectiveValue, relationId } from '../../../model/references'
import type { Episode } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * An episode stays in its project (the project cannot change once created), and its final video and thumbnail are
 * media of the same project. (Its number is checked by validateNumber, src/hooks/numbering.ts.)
 */
export const checkEpisodeConsistency: CollectionBeforeChangeHook<Episode> = async ({ data, originalDoc, operation, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  if (!projectId) return data // required-field validation reports it
  const errors: FieldError[] = []

  if (operation === 'update' && relationId(originalDoc?.project) !== projectId) {
    errors.push({ path: 'project', message: 'An episode cannot move to another project: its scenes and media belong to this one.' })
  }
  const references: ProjectReference[] = []
  for (const field of ['finalVideo', 'thumbnail']) {
    const id = relationId(value('metadata', field))
    if (id) references.push({ path: `metadata.${field}`, collection: slugs.media, id })
  }
  errors.push(...(await findProjectMismatches({ req, projectId, references })))
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.episodes, errors })
  return data
}
