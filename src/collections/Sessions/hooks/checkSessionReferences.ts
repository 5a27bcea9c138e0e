import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import type { ProjectReference } from '../../../records/projectConsistency'

import { effectiveValue, relationId } from '../../../model/references'
import { findForeignReferences, metadataReferences } from '../../../records/sessionReferences'
import { slugs } from '../../../model/slugs'

const contextFields = [
  { field: 'currentEpisode', collection: slugs.episodes },
  { field: 'currentScene', collection: slugs.scenes },
  { field: 'focusCharacter', collection: slugs.characters },
] as const

/**
 * A session's context (current episode, scene, focus character) and the documents its offered choices name are
 * documents of the session's own project — for every writer. The error names the field, never the other project.
 */
export const checkSessionReferences: CollectionBeforeChangeHook = async ({ data, originalDoc, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  if (!projectId) return data // required-field validation reports it
  const references: ProjectReference[] = []
  for (const { field, collection } of contextFields) {
    const id = relationId(value('contextData', field))
    if (id) references.push({ path: `contextData.${field}`, collection, id })
  }
  const choices = (value('lastChoices') ?? []) as { metadata?: unknown }[]
  choices.forEach((choice, index) => references.push(...metadataReferences({ metadata: choice?.metadata, path: `lastChoices.${index}.metadata` })))
  const errors = await findForeignReferences({ req, projectId, references })
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.sessions, errors })
  return data
}
