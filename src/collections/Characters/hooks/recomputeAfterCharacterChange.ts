import type { CollectionAfterChangeHook } from 'payload'

import { isDerivedFiguresSkipped, scheduleCharacterAppearances } from '../../../records/derivedFigures'
import type { Character } from '../../../payload-types'

/**
 * An update recounts the character's appearances: a caller's update rewrites the whole document from the copy it
 * read, which may predate a concurrent recount.
 */
export const recomputeAfterCharacterChange: CollectionAfterChangeHook<Character> = async ({ doc, operation, req }) => {
  if (operation === 'update' && !isDerivedFiguresSkipped(req)) {
    await scheduleCharacterAppearances({ req, characterId: String(doc.id) })
  }
  return doc
}
