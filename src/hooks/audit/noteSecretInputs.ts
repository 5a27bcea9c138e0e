import type { CollectionBeforeValidateHook } from 'payload'

import { secretInputs } from './changedFieldPaths'

/** req.context key: secret fields (password, apiKey) the current write carries, by path only. */

/**
 * Payload hashes a new password and drops it from the data before afterChange, so the audit hook could not tell a
 * password change apart from nothing. This notes which secret fields the write carries — names, never values.
 */
export const noteSecretInputs: CollectionBeforeValidateHook = ({ data, req }) => {
  const present = secretInputs.filter((name) => typeof data?.[name] === 'string' && data[name])
  req.context.auditSecretInputs = present
  return data
}
