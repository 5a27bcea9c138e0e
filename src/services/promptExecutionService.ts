import type { PromptsExecuted } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'

import { getMemberProjectIds } from '../access/memberships'
import { isAdminUser } from '../model/roles'
import { ForbiddenError } from '../errors'
import { clientIp, enforceRateLimit } from '../lib/rateLimit'
import { requestOf, requireUser } from './actor'
import { projectService } from './projectService'
import { PROMPT_WAIT_TIMEOUT_MS, promptTaskType, runPromptAttempt } from './promptRunner'
import { promptTemplateService, renderWith } from './promptTemplateService'
import { executePromptSchema, type ExecutePromptDTO } from './schemas/promptTemplateSchemas'
import { taskService } from './taskService'
import {
  createPromptExecutionSchema,
  findPromptExecutionsSchema,
  type FindPromptExecutionsDTO,
  updatePromptExecutionSchema,
} from './schemas/promptExecutionSchemas'

export const promptExecutionListSelect = {
  templateId: true,
  templateVersion: true,
  app: true,
  feature: true,
  stage: true,
  projectId: true,
  model: true,
  status: true,
  startedAt: true,
  finishedAt: true,
  createdAt: true,
} as const

const base = createCollectionService({
  slug: slugs.promptsExecuted,
  resource: 'Prompt execution',
  createSchema: createPromptExecutionSchema,
  updateSchema: updatePromptExecutionSchema,
  listSelect: promptExecutionListSelect,
})

/** Executions of a project (projectId + status index), newest first, optionally of one status, model or template. */
async function findByProject({ actor, ...input }: { actor: Actor } & z.input<typeof findPromptExecutionsSchema>): Promise<Page<PromptsExecuted>> {
  const { projectId, status, model, templateId, page, limit } = parseInput(findPromptExecutionsSchema, input)
  const where = {
    ...(projectId ? { projectId: { equals: projectId } } : {}),
    ...(status ? { status: { equals: status } } : {}),
    ...(model ? { model: { equals: model } } : {}),
    ...(templateId ? { templateId: { equals: templateId } } : {}),
  }
  return base.list({ actor, where, sort: '-createdAt', page, limit })
}

/** GET /api/v1/projects/{id}/prompt-executions: 404 unless the caller can see the project. */
async function findForProject({ actor, projectId, ...filters }: { actor: Actor; projectId: string } & Omit<FindPromptExecutionsDTO, 'projectId'>) {
  await projectService.findById({ actor, id: projectId })
  return findByProject({ actor, ...filters, projectId })
}

/**
 * Every execute (queued or inline) spends the `execute` rate limit of the caller, their address and the project:
 * 429 with Retry-After when spent (docs/ACCESS.md, "Task limits"). Admins are not limited.
 */
async function spendExecuteBudget(actor: Actor, projectId: string) {
  const { user } = requireUser(actor)
  if (isAdminUser(user)) return
  const req = await requestOf(actor)
  const ip = clientIp(req.headers)
  if (!ip) return // server code calling for a user (no client address) spends no rate limit, as elsewhere
  // Only a member spends the project's budget: nobody else can run it down (they are refused further on).
  const isMember = (await getMemberProjectIds(req)).includes(projectId)
  await enforceRateLimit({
    policy: 'execute',
    req,
    ip,
    user: String(user.id),
    project: isMember ? projectId : undefined,
    message: 'Too many prompt executions; retry after the Retry-After header (seconds).',
  })
}

/**
 * POST /api/v1/prompt-templates/{id}/execute: checks the inputs against the (pinned) version at once (400), then
 * enqueues the run as a task of the project (members only) whose `input.parameters` name the template, version and
 * inputs; a worker runs it through src/services/promptTaskRunner.ts.
 */
async function enqueue({ actor, templateId, ...data }: { actor: Actor; templateId: string } & ExecutePromptDTO) {
  const { inputs, projectId, version } = parseInput(executePromptSchema, data)
  await spendExecuteBudget(actor, projectId)
  const template = await promptTemplateService.findVersion({ actor, id: templateId, version })
  const { version: templateVersion } = renderWith({ template, inputs })
  return taskService.create({
    actor,
    data: {
      project: projectId,
      taskType: promptTaskType(template.model ?? ''),
      input: { parameters: { promptTemplateId: template.id, templateVersion, inputs } },
    },
  })
}

/** `?wait=true`: one attempt run inline for a member of the project, answered with its execution record. */
async function executeNow({ actor, templateId, ...data }: { actor: Actor; templateId: string } & ExecutePromptDTO): Promise<PromptsExecuted> {
  const { user } = requireUser(actor)
  const { inputs, projectId, version } = parseInput(executePromptSchema, data)
  await spendExecuteBudget(actor, projectId)
  const template = await promptTemplateService.findVersion({ actor, id: templateId, version })
  renderWith({ template, inputs })
  await projectService.findById({ actor, id: projectId })
  const req = await requestOf(actor)
  if (!isAdminUser(user) && !(await getMemberProjectIds(req)).includes(projectId)) {
    throw new ForbiddenError({ message: 'Only members of the project run prompts for it' })
  }
  const { execution } = await runPromptAttempt({
    payload: actor.payload,
    template,
    inputs,
    projectId,
    providerOverrides: { timeoutMs: PROMPT_WAIT_TIMEOUT_MS, maxRetries: 0 },
  })
  return execution
}

export const promptExecutionService = {
  enqueue,
  executeNow,
  create: base.create,
  findById: base.findById,
  findByProject,
  findForProject,
  update: base.update,
  delete: base.delete,
}
