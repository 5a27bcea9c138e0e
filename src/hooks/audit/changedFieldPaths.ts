/**
 * Field paths that are never reported with their history and never diffed: auth internals, timestamps and
 * server-assigned counters (`_version`, one more on every save of a prompt template: part of every write, never a change
 * the caller made).
 */
const ignoredPaths = new Set([
  'hash',
  'salt',
  'apiKeyIndex',
  'resetPasswordToken',
  'resetPasswordExpiration',
  '_verificationToken',
  'loginAttempts',
  'lockUntil',
  'sessions',
  'password',
  'apiKey',
  'createdAt',
  'updatedAt',
  'id',
  '_id',
  '__v',
  '_version',
])

/** Write-only secrets: reported as changed (path only) when the request set them, never compared or stored. */
export const secretInputs = ['password', 'apiKey']

type Plain = Record<string, unknown>

const isPlainObject = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)

/** A populated relationship or upload (a whole document) compares by its id. */
function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize)
  if (isPlainObject(value)) {
    if (isDocument(value)) return String(value.id)
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, normalize(inner)]))
  }
  if (value instanceof Date) return value.toISOString()
  if (value !== null && typeof value === 'object' && 'toHexString' in value) return String(value)
  return value
}

const isDocument = (value: Plain) => 'id' in value && ('createdAt' in value || 'updatedAt' in value)

function flatten(value: unknown, prefix: string, out: Map<string, string>) {
  if (isPlainObject(value) && !(prefix && isDocument(value))) {
    for (const [key, inner] of Object.entries(value)) {
      if (!prefix && ignoredPaths.has(key)) continue
      flatten(inner, prefix ? `${prefix}.${key}` : key, out)
    }
    return
  }
  const isEmpty = value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)
  if (!isEmpty) out.set(prefix, JSON.stringify(normalize(value)))
}

/**
 * Paths whose value differs between `before` and `after` (groups are walked, arrays compared whole), plus secret
 * inputs present in `data`. Only paths — no values — leave this function.
 */
export function changedFieldPaths({
  before,
  after,
  data,
  secretInputs: secretsSet = [],
}: {
  before?: unknown
  after: unknown
  data?: unknown
  /** Secret inputs the request carried (noted by noteSecretInputs before Payload hashes and removes them). */
  secretInputs?: string[]
}): string[] {
  const previous = new Map<string, string>()
  const next = new Map<string, string>()
  flatten(before ?? {}, '', previous)
  flatten(after, '', next)
  const changed = new Set<string>()
  for (const [path, value] of next) if (previous.get(path) !== value) changed.add(path)
  for (const path of previous.keys()) {
    // A path missing from `after` was cleared — unless the caller cannot read it (then `after` hides it).
    if (!next.has(path) && hasPath(after, path)) changed.add(path)
  }
  if (isPlainObject(data)) {
    for (const secret of secretInputs) if (typeof data[secret] === 'string' && data[secret]) changed.add(secret)
  }
  for (const secret of secretsSet) changed.add(secret)
  return [...changed].sort()
}

function hasPath(value: unknown, path: string): boolean {
  let current: unknown = value
  for (const key of path.split('.')) {
    if (!isPlainObject(current) || !(key in current)) return false
    current = current[key]
  }
  return true
}
