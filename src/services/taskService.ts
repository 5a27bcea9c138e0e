import type { Task } from '../payload-types'


import { getMemberProjectIds } from '../access/memberships'
import { isAdminUser, isApiKeyUser } from '../model/roles'
import { relationId } from '../model/references'
import { slugs } from '../model/slugs'
import { ConflictError, ForbiddenError } from '../errors'
import { getTaskQueue } from '../queue'
import { type Actor, requestOf, requireUser } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { idSchema, type Page, parseInput } from './schemas/common'
import {
  cancelTaskSchema,
  type CancelTaskDTO,
  claimTaskSchema,
  type ClaimTaskDTO,
  completeTaskSchema,
  type CompleteTaskDTO,
  createTaskSchema,
  failTaskSchema,
  type FailTaskDTO,
  findTasksSchema,
  type FindTasksDTO,
  heartbeatSchema,
  type HeartbeatDTO,
  retryTaskSchema,
  type RetryTaskDTO,
  updateTaskSchema,
} from './schemas/taskSchemas'

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

const base = createCollectionService({
  slug: slugs.tasks,
  resource: 'Task',
  createSchema: createTaskSchema,
  updateSchema: updateTaskSchema,
  listSelect: taskListSelect,
  parent: { field: 'project', findById: (args) => projectService.findById(args) },
})

/** Tasks in one status (queued by default) that the caller can see, in queue order. */
async function findByStatus({ actor, ...input }: { actor: Actor } & FindTasksDTO): Promise<Page<Task>> {
  const { status, projectId, taskType, page, limit, cursor } = parseInput(findTasksSchema, input)
  const where = {
    status: { equals: status },
    ...(projectId ? { project: { equals: projectId } } : {}),
    ...(taskType ? { taskType: { equals: taskType } } : {}),
  }
  const scope = `tasks:${status}:${projectId ?? ''}:${taskType ?? ''}`
  return base.listByKeyset({ actor, where, sort: queueSort, scope, cursor, page, limit })
}

/** The engine's calls are for workers: a request authenticated with an API key (least rights, docs/ACCESS.md). */
function requireWorker(actor: Actor): { holder: string } {
  const { user } = requireUser(actor)
  if (!isApiKeyUser(user)) throw new ForbiddenError({ message: 'Only a worker (API key) can claim and settle tasks' })
  return { holder: String(user.id) }
}

/** The next claimable task of the worker's types with its lease, or null when none is claimable. */
async function claim({ actor, ...input }: { actor: Actor } & ClaimTaskDTO) {
  const { holder } = requireWorker(actor)
  const { workerId, types } = parseInput(claimTaskSchema, input)
  const claimed = await getTaskQueue(actor.payload).claim({ workerId, holder, types })
  return claimed ? { ...claimed.task, attempt: claimed.attempt, leaseExpiresAt: claimed.leaseExpiresAt } : null
}

async function heartbeat({ actor, id, ...input }: { actor: Actor; id: string } & HeartbeatDTO) {
  const { holder } = requireWorker(actor)
  const { workerId, attempt, progress } = parseInput(heartbeatSchema, input)
  return getTaskQueue(actor.payload).heartbeat({ taskId: parseInput(idSchema, id), attempt, workerId, holder, progress })
}

async function complete({ actor, id, ...input }: { actor: Actor; id: string } & CompleteTaskDTO) {
  const { holder } = requireWorker(actor)
  const { workerId, attempt, output } = parseInput(completeTaskSchema, input)
  return getTaskQueue(actor.payload).complete({ taskId: parseInput(idSchema, id), attempt, workerId, holder, output })
}

async function fail({ actor, id, ...input }: { actor: Actor; id: string } & FailTaskDTO) {
  const { holder } = requireWorker(actor)
  const { workerId, attempt, error, retryable } = parseInput(failTaskSchema, input)
  return getTaskQueue(actor.payload).fail({ taskId: parseInput(idSchema, id), attempt, workerId, holder, error, retryable })
}

/** Members of the task's project (and admins) cancel it; a processing task stops at its next heartbeat. */
async function cancel({ actor, id, ...input }: { actor: Actor; id: string } & CancelTaskDTO) {
  const { reason } = parseInput(cancelTaskSchema, input ?? {})
  const task = await base.findById({ actor, id, depth: 0 })
  const { user } = requireUser(actor)
  if (!isAdminUser(user)) {
    const req = await requestOf(actor)
    if (isApiKeyUser(user) || !(await getMemberProjectIds(req)).includes(relationId(task.project) ?? '')) {
      throw new ForbiddenError({ message: 'Only members of the project can cancel its tasks' })
    }
  }
  const by = { id: String(user.id), viaApiKey: isApiKeyUser(user) }
  const { task: cancelled } = await getTaskQueue(actor.payload).cancel({ taskId: task.id, reason, by })
  return cancelled
}

/** The task statuses a member may retry: the ones that ended without a result. */
const retryableStatuses = new Set(['failed', 'cancelled'])

/**
 * Members of the task's project (and admins) retry a failed or cancelled task: a new task with the same definition
 * (type, project, episode, scene, character, priority, input) is enqueued through the same path as any other —
 * membership, references, rate limit and tier budgets apply — and the ended task stays as it was (its attempts are
 * the record). 409 for a task that is still open or completed. Workers cannot (they settle through the engine).
 */
async function retry({ actor, id, ...input }: { actor: Actor; id: string } & RetryTaskDTO) {
  const { priority } = parseInput(retryTaskSchema, input)
  const task = await base.findById({ actor, id, depth: 0 })
  const { user } = requireUser(actor)
  if (isApiKeyUser(user)) throw new ForbiddenError({ message: 'Only members of the project can retry its tasks' })
  if (!retryableStatuses.has(task.status ?? '')) {
    throw new ConflictError({
      message: `Task ${task.id} is ${task.status}; only a failed or cancelled task can be retried.`,
      details: { status: task.status, allowed: [...retryableStatuses] },
    })
  }
  const optional = (value: unknown) => relationId(value) ?? undefined
  return base.create({
    actor,
    data: {
      taskType: task.taskType,
      project: relationId(task.project)!,
      episode: optional(task.episode),
      scene: optional(task.scene),
      character: optional(task.character),
      priority: priority ?? task.priority ?? undefined,
      input: {
        parameters: (task.input?.parameters ?? undefined) as never,
        dependencies: (task.input?.dependencies ?? []).map((dependency) => relationId(dependency)!).filter(Boolean),
      },
    },
  })
}

export const taskService = {
  create: base.create,
  findById: base.findById,
  findByStatus,
  update: base.update,
  delete: base.delete,
  claim,
  heartbeat,
  complete,
  fail,
  cancel,
  retry,
}
