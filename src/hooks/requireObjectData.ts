import type { CollectionBeforeOperationHook, CollectionConfig, Field } from 'payload'

import { BadRequestError } from '../errors'

const writes = new Set(['create', 'update', 'updateByID'])

/**
 * The data of a create or update must be an object. A multipart upload's `_payload` of `null`, `5` or `"x"` reaches
 * the operation as such (JSON bodies are checked by guardJsonBody), and Payload would fail on it with a 500.
 */
export const requireObjectData: CollectionBeforeOperationHook = ({ args, operation }) => {
  if (!writes.has(operation)) return args
  const data = (args as { data?: unknown }).data
  if (data !== undefined && (data === null || typeof data !== 'object' || Array.isArray(data))) {
    throw new BadRequestError({ message: 'The document data must be a JSON object', details: { errors: [{ path: '', message: 'Must be an object' }] } })
  }
  return args
}

type GroupTree = Map<string, GroupTree>

/** The named group fields of a field list (through rows, collapsibles and tabs), with their own groups. */
function groupTree(fields: Field[]): GroupTree {
  const tree: GroupTree = new Map()
  for (const field of fields) {
    if (field.type === 'group' && 'name' in field && field.name) tree.set(field.name, groupTree(field.fields))
    else if (field.type === 'group' || field.type === 'row' || field.type === 'collapsible') for (const [k, v] of groupTree(field.fields)) tree.set(k, v)
    else if (field.type === 'tabs') for (const tab of field.tabs) for (const [k, v] of groupTree(tab.fields)) tree.set(k, v)
  }
  return tree
}

function badGroupPaths(data: Record<string, unknown>, tree: GroupTree, prefix = ''): string[] {
  const paths: string[] = []
  for (const [name, children] of tree) {
    const value = data[name]
    if (value === undefined) continue
    if (value === null || typeof value !== 'object' || Array.isArray(value)) paths.push(`${prefix}${name}`)
    else paths.push(...badGroupPaths(value as Record<string, unknown>, children, `${prefix}${name}.`))
  }
  return paths
}

/**
 * A group field's value must be an object too: Payload's field hooks read a group's sub-fields from it and fail with
 * a 500 on `input: null` (tasks) or `progress: 5`.
 */
function requireObjectGroups(tree: GroupTree): CollectionBeforeOperationHook {
  return ({ args, operation }) => {
    if (!writes.has(operation)) return args
    const data = (args as { data?: unknown }).data
    if (!data || typeof data !== 'object' || Array.isArray(data)) return args
    const paths = badGroupPaths(data as Record<string, unknown>, tree)
    if (paths.length > 0) {
      throw new BadRequestError({ message: 'A group field must be a JSON object', details: { errors: paths.map((path) => ({ path, message: 'Must be an object' })) } })
    }
    return args
  }
}

export function withObjectData(collection: CollectionConfig): CollectionConfig {
  const beforeOperation = [requireObjectData, requireObjectGroups(groupTree(collection.fields)), ...(collection.hooks?.beforeOperation ?? [])]
  return { ...collection, hooks: { ...collection.hooks, beforeOperation } }
}
