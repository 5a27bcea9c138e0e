import type { CollectionConfig, Field, JSONField } from 'payload'

import { json as payloadJsonValidation } from 'payload/shared'

import { mapFields } from './mapFields'

/** Largest value one `json` field stores (256 KiB serialized) and its deepest nesting. */
export const JSON_FIELD_MAX_BYTES = 256 * 1024
export const JSON_FIELD_MAX_DEPTH = 32

/** Depth of a parsed JSON value, walked without recursion; stops counting past `limit`. */
export function jsonValueDepth(value: unknown, limit: number): number {
  let deepest = 0
  const pending: [unknown, number][] = [[value, 1]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!
    if (node === null || typeof node !== 'object') continue
    deepest = Math.max(deepest, depth)
    if (deepest > limit) return deepest
    for (const child of Object.values(node as Record<string, unknown>)) pending.push([child, depth + 1])
  }
  return deepest
}

type JsonValidate = NonNullable<JSONField['validate']>

/** The size or depth limit a json value breaks, as a message naming it; true when it breaks none. */
function checkJsonLimits(value: unknown): string | true {
  if (value === null || value === undefined) return true
  if (jsonValueDepth(value, JSON_FIELD_MAX_DEPTH) > JSON_FIELD_MAX_DEPTH) {
    return `Nested deeper than ${JSON_FIELD_MAX_DEPTH} levels (the limit for a JSON field)`
  }
  const bytes = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8')
  if (bytes > JSON_FIELD_MAX_BYTES) return `Larger than ${JSON_FIELD_MAX_BYTES} bytes (the limit for a JSON field): ${bytes} bytes`
  return true
}

/** Refuses a json value above the size or depth limit, naming the limit; then Payload's own json validation. */
export const validateJsonLimits: JsonValidate = (value, options) => {
  const limits = checkJsonLimits(value)
  return limits === true ? payloadJsonValidation(value, options) : limits
}

function limitJsonField(field: Field): Field {
  if (field.type !== 'json') return field
  const own = field.validate
  // A field's own validate replaces Payload's json check (e.g. a plain-string default value), never the limits.
  const validate: JsonValidate = own
    ? (value, options) => {
        const limits = checkJsonLimits(value)
        return limits === true ? own(value, options) : limits
      }
    : validateJsonLimits
  return { ...field, validate }
}

/**
 * Every `json` field of a collection gets the size and depth limits (400 naming the field and the limit), so a
 * caller cannot store megabytes in `tasks.input.parameters` that every queue read then returns, nor nesting deep
 * enough to overflow the stack of code that walks it.
 */
export function withJsonFieldLimits(collection: CollectionConfig): CollectionConfig {
  return { ...collection, fields: mapFields(collection.fields, limitJsonField) }
}
