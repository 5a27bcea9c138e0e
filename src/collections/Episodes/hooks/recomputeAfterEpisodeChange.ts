import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import {
  isDerivedFiguresSkipped,
  scheduleEpisodeProduction,
  scheduleProjectProgress,
} from '../../../records/derivedFigures'
import { relationId } from '../../../model/references'
import type { Episode } from '../../../payload-types'

/**
 * A new episode or a status change moves its project's progress. An update also recounts the episode's own
 * production figures: a caller's update rewrites the whole document from the copy it read, which may predate a
 * concurrent recount.
 */
export const recomputeAfterEpisodeChange: CollectionAfterChangeHook<Episode> = async ({ doc, previousDoc, operation, req }) => {
  if (isDerivedFiguresSkipped(req)) return doc
  const projectId = relationId(doc.project)
  if (operation === 'update' && projectId) await scheduleEpisodeProduction({ req, episodeId: String(doc.id), projectId })
  if (projectId && (operation === 'create' || previousDoc?.status !== doc.status)) {
    await scheduleProjectProgress({ req, projectId })
  }
  return doc
}

export const recomputeAfterEpisodeDelete: CollectionAfterDeleteHook<Episode> = async ({ doc, req }) => {
  if (isDerivedFiguresSkipped(req)) return
  const projectId = relationId(doc.project)
  if (projectId) await scheduleProjectProgress({ req, projectId })
}
