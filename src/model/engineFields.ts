import { slugs } from './slugs'

/**
 * The fields of each collection that only the task engine (src/queue, the /api/v1 task endpoints and the worker)
 * changes — a path names the field and everything under it. Through REST, GraphQL, the admin and the Local API on a
 * caller's behalf they are read-only for everyone but admins (repairs), and `engineBookkeepingFields` for admins too
 * (docs/ACCESS.md, "Who changes what on a task"). tests/int/access/engineOwnedFields.int.spec.ts walks every
 * collection's fields against this list, and checks that the engine writes no path outside it.
 */
export const engineOwnedFields: Readonly<Partial<Record<string, readonly string[]>>> = {
  [slugs.tasks]: ['status', 'progress', 'output', 'error', 'worker', 'completedAt', 'lease'],
}

/** Engine-owned paths nobody writes through the API, admins included: the lease and the engine's timestamps. */
export const engineBookkeepingFields: Readonly<Partial<Record<string, readonly string[]>>> = {
  [slugs.tasks]: ['lease', 'worker.startedAt', 'worker.heartbeat', 'completedAt', 'output.metrics.processingTime'],
}

/** Whether `path` (dotted) is, or lies under, one of `paths`. */
export const isUnderAny = (path: string, paths: readonly string[] = []): boolean =>
  paths.some((owned) => path === owned || path.startsWith(`${owned}.`))
