import type { CollectionBeforeValidateHook } from 'payload'

import { relationId } from '../../../domain/references'
import type { Episode } from '../../../payload-types'
import { slugs } from '../../slugs'

/**
 * Runs before Payload's required-field validation: a new episode without `episodeNumber` gets the next number in
 * its project (the highest plus one; the unique project+episodeNumber index settles a race between two creates).
 */
export const assignEpisodeNumber: CollectionBeforeValidateHook<Episode> = async ({ data, operation, req }) => {
  if (!data || operation !== 'create') return data
  const projectId = relationId(data.project)
  if (!projectId || (data.episodeNumber !== undefined && data.episodeNumber !== null)) return data
  const { docs } = await req.payload.find({
    collection: slugs.episodes,
    where: { project: { equals: projectId } },
    sort: '-episodeNumber',
    limit: 1,
    select: { episodeNumber: true },
    depth: 0,
    pagination: false,
    overrideAccess: true, // numbering counts every episode of the project
    req,
  })
  data.episodeNumber = (docs[0]?.episodeNumber ?? 0) + 1
  return data
}
