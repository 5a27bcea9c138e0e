import type { CollectionBeforeChangeHook } from 'payload'

import { reserveNextNumber } from '../../../domain/numbering'
import { relationId } from '../../../domain/references'
import type { Episode } from '../../../payload-types'

/**
 * A new episode without `episodeNumber` gets the next free number in its project, reserved so that concurrent
 * creates each get their own (reserveNextNumber). The last beforeChange hook — after the quota and consistency
 * checks, before field validation — so a create those refuse does not take a number.
 */
export const assignEpisodeNumber: CollectionBeforeChangeHook<Episode> = async ({ data, operation, req }) => {
  if (operation !== 'create') return data
  const projectId = relationId(data.project)
  if (!projectId || (data.episodeNumber !== undefined && data.episodeNumber !== null)) return data
  data.episodeNumber = await reserveNextNumber({ req, kind: 'episodes', parentId: projectId, projectId })
  return data
}
