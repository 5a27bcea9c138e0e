import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { findDependencyCycle } from '../../../records/taskDependencies'
import { type FieldError, findProjectMismatches, type ProjectReference } from '../../../records/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../model/references'
import type { Task } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * Every document a task names belongs to its project — episode, scene, character, dependencies, the prompt
 * execution (`input.promptId`) and the result (`output.mediaId`), on create and update, whoever writes (the engine
 * checks a worker's result the same way on complete); a task never depends on itself nor,
 * through others, on a task that depends on it. 400 with the offending field's path; messages never name another
 * project.
 */
export const checkTaskConsistency: CollectionBeforeChangeHook<Task> = async ({ data, originalDoc, req }) => {
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  if (!projectId) return data // required-field validation reports it
  const references: ProjectReference[] = []
  for (const [field, collection] of [
    ['episode', slugs.episodes],
    ['scene', slugs.scenes],
    ['character', slugs.characters],
    ['input.promptId', slugs.promptsExecuted],
    ['output.mediaId', slugs.media],
  ] as const) {
    const id = relationId(value(...field.split('.')))
    if (id) references.push({ path: field, collection, id })
  }
  // Media a handler writes to (embeddings: input.parameters.mediaId) is a reference too, kept in the JSON.
  const parameters = value('input', 'parameters')
  const parameterMedia = parameters && typeof parameters === 'object' ? (parameters as Record<string, unknown>).mediaId : undefined
  if (parameterMedia !== undefined && parameterMedia !== null) {
    references.push({ path: 'input.parameters.mediaId', collection: slugs.media, id: String(parameterMedia) })
  }
  const dependencies = relationIds(value('input', 'dependencies'))
  const taskId = originalDoc?.id ? String(originalDoc.id) : undefined
  const errors: FieldError[] = []
  dependencies.forEach((id, index) => {
    if (id === taskId) errors.push({ path: `input.dependencies.${index}`, message: 'A task cannot depend on itself.' })
    else references.push({ path: `input.dependencies.${index}`, collection: slugs.tasks, id })
  })
  errors.push(...(await findProjectMismatches({ req, projectId, references })))
  if (errors.length === 0 && taskId && dependencies.length > 0) {
    const cycle = await findDependencyCycle({ req, taskId, dependencies })
    if (cycle) {
      errors.push({ path: 'input.dependencies', message: `These dependencies make a cycle: ${cycle.join(' → ')}.` })
    }
  }
  if (errors.length > 0) throw new FieldValidationError({ collection: slugs.tasks, errors })
  return data
}
