import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { releaseGlobalUniques } from '../../../db/globalUniques'
import type { Media } from '../../../payload-types'

/** A replaced file's old name is free again (the claim of the new one was taken by the write: src/db/globalUniques.ts). */
export const releaseReplacedFilename: CollectionAfterChangeHook<Media> = async ({ doc, previousDoc, operation, req }) => {
  if (operation === 'update' && previousDoc?.filename && previousDoc.filename !== doc.filename) {
    await releaseGlobalUniques(req.payload.db, 'media', { filename: previousDoc.filename })
  }
  return doc
}

/** A deleted medium's filename is free again. */
export const releaseDeletedFilename: CollectionAfterDeleteHook<Media> = async ({ doc, req }) => {
  await releaseGlobalUniques(req.payload.db, 'media', { filename: doc.filename })
}
