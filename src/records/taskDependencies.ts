import type { PayloadRequest } from 'payload'

import { slugs } from '../model/slugs'
import { relationIds } from '../model/references'

/** Tasks a cycle search reads at most: far above any real dependency graph, and a bound on a hostile one. */
const MAX_VISITED = 2_000

/**
 * The path taskId → … → taskId that giving `taskId` these `dependencies` would close, or undefined. Walks the
 * stored dependency graph breadth-first, one query per level.
 */
export async function findDependencyCycle({
  req,
  taskId,
  dependencies,
}: {
  req: PayloadRequest
  taskId: string
  dependencies: string[]
}): Promise<string[] | undefined> {
  const parent = new Map<string, string>(dependencies.map((id) => [id, taskId]))
  let frontier = [...new Set(dependencies)]
  while (frontier.length > 0 && parent.size < MAX_VISITED) {
    if (frontier.includes(taskId)) break
    const { docs } = await req.payload.find({
      collection: slugs.tasks,
      where: { id: { in: frontier } },
      select: { input: { dependencies: true } },
      depth: 0,
      limit: frontier.length,
      pagination: false,
      // The graph is checked as stored, whatever the caller may read (all of it is in the caller's project).
      overrideAccess: true,
      req,
    })
    const next: string[] = []
    for (const doc of docs) {
      for (const dependency of relationIds((doc as { input?: { dependencies?: unknown } }).input?.dependencies)) {
        if (parent.has(dependency) && dependency !== taskId) continue
        parent.set(dependency, String(doc.id))
        next.push(dependency)
      }
    }
    frontier = next
  }
  if (!parent.has(taskId) || !frontier.includes(taskId)) return undefined
  const path = [taskId]
  let current = parent.get(taskId)!
  while (current !== taskId && path.length <= MAX_VISITED) {
    path.unshift(current)
    current = parent.get(current)!
  }
  path.unshift(taskId)
  return path
}
