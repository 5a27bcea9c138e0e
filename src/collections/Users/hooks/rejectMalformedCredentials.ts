import type { CollectionBeforeOperationHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { slugs } from '../../../model/slugs'

const credentialFields = ['email', 'username', 'password'] as const

/**
 * Credentials must be text. Payload lower-cases the email before validating it, so an array or object there would
 * otherwise end in a TypeError and a 500; this answers 400 naming the field instead.
 */
export const rejectMalformedCredentials: CollectionBeforeOperationHook = ({ args, operation }) => {
  if (!['create', 'update', 'login', 'forgotPassword'].includes(operation)) return args
  const data = (args as { data?: Record<string, unknown> }).data
  if (!data || typeof data !== 'object') return args
  const wrong = credentialFields.filter((field) => data[field] !== undefined && data[field] !== null && typeof data[field] !== 'string')
  if (wrong.length > 0) {
    throw new FieldValidationError({ collection: slugs.users, errors: wrong.map((path) => ({ path, message: 'Must be text.' })) })
  }
  return args
}
