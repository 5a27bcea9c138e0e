import type { CollectionAfterChangeHook } from 'payload'

import { isDerivedFiguresSkipped, scheduleProjectProgress } from '../../../records/derivedFigures'
import type { Project } from '../../../payload-types'

/**
 * An update recounts the project's progress: its episodeCount may have changed, and a caller's update rewrites the
 * whole document from the copy it read, which may predate a concurrent recount.
 */
export const recomputeAfterProjectChange: CollectionAfterChangeHook<Project> = async ({ doc, operation, req }) => {
  if (operation === 'update' && !isDerivedFiguresSkipped(req)) {
    await scheduleProjectProgress({ req, projectId: String(doc.id) })
  }
  return doc
}
