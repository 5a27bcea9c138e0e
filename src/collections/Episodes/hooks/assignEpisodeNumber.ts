import type { CollectionBeforeValidateHook } from 'payload'

import { highestNumber } from '../../../domain/numbering'
import { relationId } from '../../../domain/references'
import type { Episode } from '../../../payload-types'

/**
 * Runs before Payload's required-field validation: a new episode without `episodeNumber` gets the next number in
 * its project (the highest plus one; the unique project+episodeNumber index settles a race between two creates).
 */
export const assignEpisodeNumber: CollectionBeforeValidateHook<Episode> = async ({ data, operation, req }) => {
  if (!data || operation !== 'create') return data
  const projectId = relationId(data.project)
  if (!projectId || (data.episodeNumber !== undefined && data.episodeNumber !== null)) return data
  data.episodeNumber = (await highestNumber({ req, kind: 'episodes', parentId: projectId })) + 1
  return data
}
