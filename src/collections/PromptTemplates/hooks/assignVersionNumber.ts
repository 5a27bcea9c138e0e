import type { CollectionBeforeChangeHook } from 'payload'

/**
 * `_version`, the number of the template's current version (the spec's field): 1 when created, one more on every
 * save, whatever the write says. Payload stores each save in the template's version history with its `_version`,
 * so an execution records the number it used and a render can ask for an earlier one. A template saved before the
 * field existed counts as version 1.
 */
export const assignVersionNumber: CollectionBeforeChangeHook = ({ data, originalDoc, operation }) => {
  const current = Number(originalDoc?._version ?? 1)
  data._version = operation === 'update' ? current + 1 : 1
  return data
}
