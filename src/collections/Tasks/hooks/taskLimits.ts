import type { CollectionAfterChangeHook, CollectionBeforeChangeHook, PayloadRequest, Where } from 'payload'

import type { Task } from '../../../payload-types'

import { getMemberProjectIds } from '../../../access/memberships'
import { countQuota } from '../../../records/quotas/countQuota'
import { areQuotasEnforced, loadOwner } from '../../../records/quotas/quotaOwner'
import { resolveQuotas } from '../../../domain/quotas/tiers'
import { effectiveValue, relationId } from '../../../model/references'
import { QuotaExceededError } from '../../../errors'
import { clientIp, enforceRateLimit } from '../../../lib/rateLimit'
import { slugs } from '../../../model/slugs'

/** The project's owner (whose subscription pays for its tasks), or null for a project that does not exist. */
async function ownerOfProject(req: PayloadRequest, projectId: string | undefined) {
  if (!projectId) return null
  // overrideAccess: the owner decides the budget, a system lookup (a collaborator may not read the owner).
  const project = await req.payload.findByID({ collection: slugs.projects, id: projectId, depth: 0, overrideAccess: true, disableErrors: true, req })
  return project ? relationId(project.createdBy) : null
}

/** Open tasks (queued, processing) count against the project owner's `maxOpenTasks`, across all the owner's projects. */
export const openTaskQuota = countQuota({
  collection: slugs.tasks,
  limit: 'maxOpenTasks',
  describe: (max) => `at most ${max} open (queued or processing) tasks at once across the owner's projects`,
  scopeOf: async (req, doc) => {
    const ownerId = await ownerOfProject(req, relationId(doc.project))
    if (!ownerId) return null
    // overrideAccess: the owner's projects, whatever the caller may read.
    const { docs } = await req.payload.find({
      collection: slugs.projects,
      where: { createdBy: { equals: ownerId } },
      select: {},
      depth: 0,
      pagination: false,
      overrideAccess: true,
      req,
    })
    const where: Where = { project: { in: docs.map((p) => p.id) }, status: { in: ['queued', 'processing'] } }
    return { ownerId, where }
  },
})

/**
 * Paid work is bounded for people (not admins, not server code; docs/ACCESS.md, "Task limits"): each enqueue spends
 * the `enqueue` rate limit of the caller, their address and the project (429 with Retry-After); the priority may
 * not exceed the owner's tier's `maxPriority` (403, on create and on a change); and the owner's open tasks stay
 * within `maxOpenTasks` (403; rechecked after the insert, `recheckOpenTasks`).
 */
export const enforceTaskLimits: CollectionBeforeChangeHook<Task> = async ({ data, originalDoc, operation, req }) => {
  if (!areQuotasEnforced(req) || (operation !== 'create' && operation !== 'update')) return data
  const projectId = relationId(effectiveValue({ data, originalDoc, path: ['project'] }))
  // Rate limits hold for requests from outside (a client address known: REST, GraphQL, /api/v1, the admin); server
  // code calling the Local API for a user (scripts, tests) spends none, as for the other per-address budgets.
  const ip = clientIp(req.headers)
  if (operation === 'create' && ip) {
    await enforceRateLimit({
      policy: 'enqueue',
      req,
      ip,
      user: relationId(req.user?.id),
      // Only a member spends the project's budget, so nobody else can run it down (they are refused further on).
      project: projectId && (await getMemberProjectIds(req)).includes(projectId) ? projectId : undefined,
      message: 'Too many tasks enqueued; retry after the Retry-After header (seconds).',
    })
  }
  const priorityChanged = operation === 'create' || (data.priority !== undefined && data.priority !== originalDoc?.priority)
  if (priorityChanged && typeof data.priority === 'number') {
    const owner = await loadOwner(req, (await ownerOfProject(req, projectId)) ?? undefined)
    const quotas = resolveQuotas(owner as Parameters<typeof resolveQuotas>[0])
    if (data.priority > quotas.maxPriority) {
      const tier = (owner as { subscription?: { tier?: string | null } } | null)?.subscription?.tier ?? 'free'
      throw new QuotaExceededError({ limit: 'maxPriority', value: quotas.maxPriority, detail: `priority at most ${quotas.maxPriority} on the ${tier} tier` })
    }
  }
  if (operation === 'create') await openTaskQuota.check(req, data as Record<string, unknown>)
  return data
}

/** The second half of the open-task budget: a create that raced past the count removes itself (403). */
export const recheckOpenTasks: CollectionAfterChangeHook = openTaskQuota.recheck
