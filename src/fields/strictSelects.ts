import type { CollectionConfig, Field, Validate } from 'payload'

import { validations } from 'payload'

import { mapFields } from './mapFields'

/** What a select value must be before its options are checked: a string, or for hasMany an array of strings. */
function selectShapeIssue(value: unknown, hasMany: boolean): string | undefined {
  if (value === null || value === undefined) return undefined
  if (hasMany) {
    return Array.isArray(value) && value.every((item) => typeof item === 'string') ? undefined : 'Must be a list of option values (strings)'
  }
  return typeof value === 'string' ? undefined : 'Must be one option value (a string)'
}

/**
 * Payload's select validation checks strings and arrays against the options but lets a number, a boolean, an object
 * or (on a single select) an array through; MongoDB then stores `5` as "5", and every later save of that document
 * fails on a value its owner never sent. Every select field refuses a value of the wrong shape first (400 naming the
 * field), then runs its own or Payload's option check.
 */
export function withStrictSelects(collection: CollectionConfig): CollectionConfig {
  return { ...collection, fields: mapFields(collection.fields, strictSelect) }
}

function strictSelect(field: Field): Field {
  if (field.type !== 'select') return field
  const optionCheck = (field.validate ?? validations.select) as Validate
  const validate: Validate = (value, options) => selectShapeIssue(value, Boolean(field.hasMany)) ?? optionCheck(value, options)
  return { ...field, validate } as Field
}
