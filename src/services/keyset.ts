import type { Where } from 'payload'

import { decodeCursor, encodeCursor, type Keyset } from '../lib/cursor'

/** A list's order as Payload sort strings ('-priority', 'createdAt'); the id is added as the last tie-breaker. */
export type KeysetSort = string[]

const parse = (key: string) => ({ field: key.replace(/^-/, ''), descending: key.startsWith('-') })

/** The sort Payload runs for a keyset list: its keys, then the id in the last key's direction. */
export function keysetSort(sort: KeysetSort): string[] {
  const last = parse(sort[sort.length - 1])
  return [...sort, last.descending ? '-id' : 'id']
}

/**
 * The rows after a keyset in the list's order: (k1 past v1) or (k1 = v1 and k2 past v2) … or (all equal and id past
 * the last id). Every branch starts with the list's own filter, so each one is served by the list's index.
 */
export function afterKeyset(sort: KeysetSort, keyset: Keyset): Where {
  const keys = [...sort.map(parse), { field: 'id', descending: parse(sort[sort.length - 1]).descending }]
  const values = [...keyset.values, keyset.id]
  return {
    or: keys.map((key, i) => ({
      and: [
        ...keys.slice(0, i).map((earlier, j) => ({ [earlier.field]: { equals: values[j] } })),
        { [key.field]: { [key.descending ? 'less_than' : 'greater_than']: values[i] } },
      ],
    })),
  }
}

/** The cursor for the rows after `doc`. */
export function cursorAfter(scope: string, sort: KeysetSort, doc: Record<string, unknown>): string {
  return encodeCursor(scope, {
    values: sort.map((key) => (doc[parse(key).field] ?? null) as string | number | null),
    id: String(doc.id),
  })
}

export { decodeCursor }
