/**
 * The shape of a database command, without its values: which collection, which command, which fields the filter
 * and sort name (operators kept, values dropped). Safe to log and to label metrics with.
 */
export type CommandShape = { collection: string; command: string; filterKeys: string[]; sortKeys: string[] }

/** Commands whose first field names a collection. Anything else (hello, ping, listCollections …) is labelled '-'. */
const collectionCommands = new Set([
  'find', 'aggregate', 'count', 'distinct', 'insert', 'update', 'delete', 'findAndModify', 'createIndexes',
  'listIndexes', 'dropIndexes', 'getMore', 'collStats', 'drop', 'create',
])

export function commandShape(commandName: string, command: Record<string, unknown>): CommandShape {
  const target = command[commandName]
  const collection =
    commandName === 'getMore' ? String(command.collection ?? '-') : collectionCommands.has(commandName) && typeof target === 'string' ? target : '-'
  return { collection, command: commandName, filterKeys: keyPaths(filterOf(commandName, command)), sortKeys: sortKeysOf(sortOf(commandName, command)) }
}

function filterOf(commandName: string, command: Record<string, unknown>): unknown {
  switch (commandName) {
    case 'find':
      return command.filter
    case 'count':
    case 'distinct':
    case 'findAndModify':
      return command.query
    case 'update':
      return (command.updates as { q?: unknown }[] | undefined)?.[0]?.q
    case 'delete':
      return (command.deletes as { q?: unknown }[] | undefined)?.[0]?.q
    case 'aggregate':
      return (command.pipeline as Record<string, unknown>[] | undefined)?.find((stage) => '$match' in stage)?.$match
    default:
      return undefined
  }
}

/** The driver hands a find's sort over as a Map (to keep the key order); aggregate stages keep plain objects. */
function sortKeysOf(sort: Record<string, unknown> | Map<string, unknown> | undefined): string[] {
  if (!sort) return []
  return sort instanceof Map ? [...sort.keys()] : Object.keys(sort)
}

function sortOf(commandName: string, command: Record<string, unknown>): Record<string, unknown> | Map<string, unknown> | undefined {
  if (commandName === 'find' || commandName === 'findAndModify') return command.sort as Record<string, unknown> | Map<string, unknown> | undefined
  if (commandName === 'aggregate') {
    return (command.pipeline as Record<string, unknown>[] | undefined)?.find((stage) => '$sort' in stage)?.$sort as Record<string, unknown> | undefined
  }
  return undefined
}

/**
 * Field paths of a filter, operators included, values left out: { project: { $in: [...] }, $or: [{ a: 1 }] }
 * → ['$or.a', 'project.$in']. Sorted, so one query shape always reads the same.
 */
export function keyPaths(filter: unknown, prefix = ''): string[] {
  if (!filter || typeof filter !== 'object' || Array.isArray(filter) || isBsonValue(filter)) return prefix ? [prefix] : []
  const paths = new Set<string>()
  for (const [key, value] of Object.entries(filter)) {
    const path = prefix ? `${prefix}.${key}` : key
    if ((key === '$and' || key === '$or' || key === '$nor') && Array.isArray(value)) {
      for (const branch of value) for (const nested of keyPaths(branch, path)) paths.add(nested)
    } else if (value && typeof value === 'object' && !Array.isArray(value) && !isBsonValue(value) && Object.keys(value).some((k) => k.startsWith('$'))) {
      for (const operator of Object.keys(value)) paths.add(`${path}.${operator}`)
    } else {
      paths.add(path)
    }
  }
  return [...paths].sort()
}

/** ObjectId, Date, Decimal128, RegExp … are values, not sub-documents. */
function isBsonValue(value: object): boolean {
  return value instanceof Date || value instanceof RegExp || '_bsontype' in value
}
