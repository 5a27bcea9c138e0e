/** Helpers for reading relationship values and the effective value of a field during a write. */

/** The id of a relationship value, whether stored as an id or populated as a document. */
export function relationId(value: unknown): string | undefined {
  if (value === null || value === undefined || value === '') return undefined
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  if (typeof value === 'object') {
    const id = (value as { id?: unknown; _id?: unknown }).id ?? (value as { _id?: unknown })._id
    if (id !== undefined && id !== null) return String(id)
    // A bson ObjectId
    if (typeof (value as { toHexString?: unknown }).toHexString === 'function') {
      return (value as { toHexString: () => string }).toHexString()
    }
  }
  return undefined
}

/**
 * A relationship the caller left empty, so a hook may fill it. Any other value — even one that names no document,
 * such as an array — is the caller's and goes to validation, which refuses it with a 400 on the field.
 */
export const isLeftEmpty = (value: unknown) => value === undefined || value === null || value === ''

export function relationIds(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value.map(relationId).filter((id): id is string => Boolean(id))
}

export function getIn(source: unknown, path: readonly string[]): unknown {
  let current: unknown = source
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}

/**
 * The value a field will have after this write: the incoming value when the write sets it, otherwise the stored
 * one (Payload keeps stored values for fields a write leaves out).
 */
export function effectiveValue({
  data,
  originalDoc,
  path,
}: {
  data: unknown
  originalDoc: unknown
  path: readonly string[]
}): unknown {
  const incoming = getIn(data, path)
  return incoming !== undefined ? incoming : getIn(originalDoc, path)
}

export function setIn(target: Record<string, unknown>, path: readonly string[], value: unknown) {
  let current = target
  for (const key of path.slice(0, -1)) {
    if (current[key] === null || typeof current[key] !== 'object') current[key] = {}
    current = current[key] as Record<string, unknown>
  }
  current[path[path.length - 1]] = value
}
