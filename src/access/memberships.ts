import type { PayloadRequest, Where } from 'payload'

import { openTaskStatuses } from '../model/options'
import { slugs } from '../model/slugs'
import { relationId } from '../model/references'
import { isApiKeyUser } from '../model/roles'

export function membershipWhere(userId: string): Where {
  return { or: [{ createdBy: { equals: userId } }, { collaborators: { in: [userId] } }] }
}

// Per-request memo of the caller's memberships, kept inside req.context. Payload hands nested Local API calls a
// copy of the context ({ ...req.context, ...context }) and GraphQL resolvers proxies of req sharing it, so the Map
// stored here is the same object for the whole request. Cleared by the Projects hooks when memberships change.

function remember<T>(req: PayloadRequest, key: string, load: () => Promise<T>): Promise<T> {
  if (!req.context) return load()
  let entries = req.context.accessMembershipMemo
  if (!entries) req.context.accessMembershipMemo = entries = new Map()
  let value = entries.get(key) as Promise<T> | undefined
  if (!value) {
    value = load()
    entries.set(key, value)
    value.catch(() => entries.delete(key))
  }
  return value
}

/** Forgets what remember() cached for this request (called after a project is created, changed or deleted). */
export function forgetMemberships(req: PayloadRequest): void {
  req.context?.accessMembershipMemo?.clear()
}

type Membership = { id: string; createdBy?: unknown; collaborators?: unknown[] | null }

/**
 * The projects the caller owns or collaborates on: one query per request.
 */
function getMemberships(req: PayloadRequest, userId: string): Promise<Membership[]> {
  return remember(req, `memberships:${userId}`, async () => {
    // overrideAccess: resolving memberships is system code; the result only narrows what the caller sees.
    const result = await req.payload.find({
      collection: slugs.projects,
      where: membershipWhere(userId),
      depth: 0,
      pagination: false,
      select: { createdBy: true, collaborators: true },
      overrideAccess: true,
      req,
    })
    return result.docs.map((doc) => ({ ...doc, id: String(doc.id) }) as Membership)
  })
}

/**
 * Ids of the projects the caller owns or collaborates on. FerretDB v1 has no $lookup, so project-scoped access
 * rules resolve these ids first and then constrain with `project in ids`.
 */
export async function getMemberProjectIds(req: PayloadRequest): Promise<string[]> {
  const userId = relationId(req.user?.id)
  if (!userId || isApiKeyUser(req.user)) return []
  return (await getMemberships(req, userId)).map((project) => project.id)
}

/** Projects that have an open task: the only projects a worker (API key) can touch. */
export function getOpenTaskProjectIds(req: PayloadRequest): Promise<string[]> {
  return remember(req, 'open-task-projects', async () => {
    // overrideAccess: system lookup; workers see nothing outside the projects of open tasks.
    const result = await req.payload.find({
      collection: slugs.tasks,
      where: { status: { in: [...openTaskStatuses] } },
      depth: 0,
      pagination: false,
      select: { project: true },
      overrideAccess: true,
      req,
    })
    return [...new Set(result.docs.map((task) => relationId(task.project)).filter((id): id is string => Boolean(id)))]
  })
}
