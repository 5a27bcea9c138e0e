import type { CollectionBeforeValidateHook } from 'payload'

import { reserveNextNumber } from '../../../domain/numbering'
import { relationId } from '../../../domain/references'
import type { Episode } from '../../../payload-types'

/**
 * Runs before Payload's required-field validation: a new episode without `episodeNumber` gets the next free number
 * in its project, reserved so that concurrent creates each get their own (reserveNextNumber).
 */
export const assignEpisodeNumber: CollectionBeforeValidateHook<Episode> = async ({ data, operation, req }) => {
  if (!data || operation !== 'create') return data
  const projectId = relationId(data.project)
  if (!projectId || (data.episodeNumber !== undefined && data.episodeNumber !== null)) return data
  data.episodeNumber = await reserveNextNumber({ req, kind: 'episodes', parentId: projectId })
  return data
}
