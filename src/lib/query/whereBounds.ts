import { QueryLimitError } from '../../errors'
import { WHERE_LIMITS } from '../../model/apiLimits'

/** What a `where` filter asks of the database, counted by countWhere. */
export type WhereCounts = { branches: number; conditions: number; depth: number; relationshipPaths: number }

/**
 * Counts a `where` filter as Payload's query builder walks it: every item of an `and` / `or` list is a branch (qs
 * turns `or[25]` into an object keyed by index, so objects count by their values too), every operator of a field
 * condition a condition, and `relationshipHops(path)` says how many related collections a field path goes through
 * (each is a query of that collection before the main one). Stops as soon as a bound is passed, so a filter of
 * 100,000 branches costs no more to refuse than one just over the bound.
 */
export function countWhere(where: unknown, relationshipHops: (path: string) => number = () => 0): WhereCounts {
  const counts: WhereCounts = { branches: 0, conditions: 0, depth: 0, relationshipPaths: 0 }
  const isOver = () =>
    counts.branches > WHERE_LIMITS.maxBranches ||
    counts.conditions > WHERE_LIMITS.maxConditions ||
    counts.depth > WHERE_LIMITS.maxDepth ||
    counts.relationshipPaths > WHERE_LIMITS.maxRelationshipPaths
  const walk = (node: unknown, depth: number): void => {
    if (!node || typeof node !== 'object' || isOver()) return
    for (const [key, value] of Object.entries(node)) {
      if (isOver()) return
      const lower = key.toLowerCase()
      if (lower === 'and' || lower === 'or') {
        const items = value && typeof value === 'object' ? Object.values(value) : []
        counts.depth = Math.max(counts.depth, depth + 1)
        counts.branches += items.length
        for (const item of items) walk(item, depth + 1)
        continue
      }
      const operators = value && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value).length : 1
      counts.conditions += Math.max(1, operators)
      if (key.includes('.')) counts.relationshipPaths += relationshipHops(key) * Math.max(1, operators)
    }
  }
  walk(where, 0)
  return counts
}

/** Refuses (QueryLimitError, 400 naming the bound) a `where` filter over WHERE_LIMITS; `at` says where it was sent. */
export function checkWhereBounds(where: unknown, relationshipHops?: (path: string) => number, at = 'where'): void {
  if (!where || typeof where !== 'object') return
  const counts = countWhere(where, relationshipHops)
  const bounds: [keyof WhereCounts, number, string][] = [
    ['branches', WHERE_LIMITS.maxBranches, 'and/or branches'],
    ['conditions', WHERE_LIMITS.maxConditions, 'conditions'],
    ['depth', WHERE_LIMITS.maxDepth, 'levels of and/or nesting'],
    ['relationshipPaths', WHERE_LIMITS.maxRelationshipPaths, 'conditions on related documents (relationship paths)'],
  ]
  for (const [key, max, what] of bounds) {
    if (counts[key] > max) {
      throw new QueryLimitError({
        limit: `where.${key}`,
        max,
        value: counts[key],
        message: `The ${at} filter has more than ${max} ${what} (limit where.${key})`,
      })
    }
  }
}
