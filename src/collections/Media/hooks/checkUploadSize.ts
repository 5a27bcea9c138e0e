import type { CollectionBeforeOperationHook } from 'payload'

import { FieldValidationError } from '../../../errors'

import { formatBytes, maxUploadBytes } from '../../../domain/mediaRules'
import { slugs } from '../../../model/slugs'

/**
 * Refuses a file over the size limit before anything reads it (sharp, storage). Over REST the multipart parser
 * stops buffering one byte past the limit (payload.config.ts `upload.limits`) and marks the file truncated.
 */
export const checkUploadSize: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation !== 'create' && operation !== 'update') return args
  const file = req.file
  if (!file) return args
  const limit = maxUploadBytes()
  if (file.size > limit || (file as { truncated?: boolean }).truncated) {
    throw new FieldValidationError({
      collection: slugs.media,
      errors: [{ path: 'file', message: `The file is larger than the upload limit of ${formatBytes(limit)}.` }],
    })
  }
  return args
}
