import type { CollectionBeforeChangeHook } from 'payload'

import { takeTemplateVersionNumber } from '../../../records/templateVersions'

/**
 * `_version`, the number of the template's current version (the spec's field): 1 when created, one more on every
 * save, whatever the write says. Payload stores each save in the template's version history with its `_version`,
 * so an execution records the number it used and a render can ask for an earlier one. A template saved before the
 * field existed counts as version 1. Two saves racing for one number: the second is refused (src/records/templateVersions.ts).
 */
export const assignVersionNumber: CollectionBeforeChangeHook = async ({ data, originalDoc, operation, req }) => {
  const current = Number(originalDoc?._version ?? 1)
  data._version = operation === 'update' ? current + 1 : 1
  if (operation === 'update' && originalDoc?.id !== undefined) await takeTemplateVersionNumber(req, originalDoc.id, data._version)
  return data
}
