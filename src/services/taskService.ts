import type { Task } from '../payload-types'

import { slugs } from '../collections/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import { createTaskSchema, type CreateTaskDTO, findTasksSchema, type FindTasksDTO, updateTaskSchema } from './schemas/taskSchemas'

export const taskListSelect = {
  taskType: true,
  project: true,
  episode: true,
  scene: true,
  status: true,
  priority: true,
  progress: true,
  createdAt: true,
  updatedAt: true,
} as const

/** The queue order of the spec: highest priority first, then oldest first. */
export const queueSort = ['-priority', 'createdAt']

const base = createCollectionService<Task, typeof createTaskSchema, typeof updateTaskSchema>({
  slug: slugs.tasks,
  resource: 'Task',
  createSchema: createTaskSchema,
  updateSchema: updateTaskSchema,
  listSelect: taskListSelect,
})

async function create({ actor, data }: { actor: Actor; data: CreateTaskDTO }): Promise<Task> {
  const input = parseInput(createTaskSchema, data)
  await projectService.findById({ actor, id: input.project })
  return base.create({ actor, data: input })
}

/** Tasks in one status (queued by default) that the caller can see, in queue order. */
async function findByStatus({ actor, ...input }: { actor: Actor } & FindTasksDTO): Promise<Page<Task>> {
  const { status, projectId, taskType, page, limit } = parseInput(findTasksSchema, input)
  const where = {
    status: { equals: status },
    ...(projectId ? { project: { equals: projectId } } : {}),
    ...(taskType ? { taskType: { equals: taskType } } : {}),
  }
  return base.list({ actor, where, sort: queueSort, page, limit })
}

export const taskService = {
  create,
  findById: base.findById,
  findByStatus,
  update: base.update,
  delete: base.delete,
}
