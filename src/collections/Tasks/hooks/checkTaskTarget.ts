import type { CollectionBeforeChangeHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import type { FieldError } from '../../../records/projectConsistency'
import { effectiveValue, relationId } from '../../../model/references'
import { checkTarget } from '../../../records/taskTargets'
import type { Task } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * A task's `input.parameters.target` (the slot its result fills, docs/QUEUE.md) names a document of the task's
 * project and a slot that fits the task type (400 naming the field). The task's episode, scene and character are
 * taken from the target when left empty, and must agree with it otherwise. Every path that enqueues (REST,
 * GraphQL, Local API, services) passes here.
 */
export const checkTaskTarget: CollectionBeforeChangeHook<Task> = async ({ data, originalDoc, req, operation }) => {
  // An update that leaves the parameters alone keeps a target that was checked when the task was enqueued.
  if (operation === 'update' && data.input?.parameters === undefined && data.taskType === undefined) return data
  const value = (...path: string[]) => effectiveValue({ data, originalDoc, path })
  const projectId = relationId(value('project'))
  const taskType = value('taskType')
  if (!projectId || typeof taskType !== 'string') return data // required-field validation reports them
  const { errors, relations } = await checkTarget({ req, projectId, taskType, parameters: value('input', 'parameters') })
  const mismatches: FieldError[] = []
  for (const [field, id] of Object.entries(relations ?? {}) as ['episode' | 'scene' | 'character', string | undefined][]) {
    if (!id) continue
    const current = relationId(value(field))
    if (!current) data[field] = id
    else if (current !== id) mismatches.push({ path: field, message: `The task's ${field} is not its target's (${id}).` })
  }
  if (errors.length > 0 || mismatches.length > 0) throw new FieldValidationError({ collection: slugs.tasks, errors: [...errors, ...mismatches] })
  return data
}
