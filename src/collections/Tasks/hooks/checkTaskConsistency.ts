import type { CollectionBeforeChangeHook } from 'payload'

import { ValidationError } from 'payload'

import { findDependencyCycle } from '../../../domain/taskDependencies'
import { type FieldError, findProjectMismatches, type ProjectReference } from '../../../domain/projectConsistency'
import { effectiveValue, relationId, relationIds } from '../../../domain/references'
import type { Task } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * A task's episode, scene, character and dependencies belong to its project; a task never depends on itself nor,
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
  ] as const) {
    const id = relationId(value(field))
    if (id) references.push({ path: field, collection, id })
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
  if (errors.length > 0) throw new ValidationError({ collection: slugs.tasks, errors })
  return data
}
