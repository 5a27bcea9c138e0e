import type { CollectionConfig, Field, Validate } from 'payload'

import { validations } from 'payload'

import { mapFields } from './mapFields'

/**
 * A required field that callers may leave out, because a default or a hook fills it in (status, role, createdBy,
 * the next episode number, …). Payload makes every `required` field mandatory in GraphQL inputs and in the
 * generated create types even when a default exists, so such fields are declared optional here and their
 * validation still refuses an empty value: stored documents always have them.
 *
 * Marked fields: `required: true` with a `defaultValue`, or `custom.filledByHook: true` for values a
 * beforeValidate hook provides.
 */
export function withOptionalFilledFields(collection: CollectionConfig): CollectionConfig {
  return { ...collection, fields: mapFields(collection.fields, relaxField) }
}

function relaxField(field: Field): Field {
  const isFilled = 'defaultValue' in field && field.defaultValue !== undefined
  const isFilledByHook = Boolean((field.custom as { filledByHook?: boolean } | undefined)?.filledByHook)
  if (!('required' in field) || !field.required || !(isFilled || isFilledByHook)) return field

  const validate = (('validate' in field && field.validate) || validations[field.type as keyof typeof validations]) as Validate
  return {
    ...field,
    required: false,
    // The field's own (or Payload's built-in) validation, run as for a required field.
    validate: (value: unknown, options: Parameters<Validate>[1]) => validate(value, { ...options, required: true }),
  } as Field
}
