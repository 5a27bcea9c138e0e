import type { CollectionBeforeValidateHook } from 'payload'

import { ValidationError } from 'payload'

import { relationId } from '../../../domain/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../slugs'

/**
 * Runs before Payload's required-field validation: a new scene without `project` takes its episode's, and one
 * without `sceneNumber` gets the next number in its episode (the highest plus one; the unique episode+sceneNumber
 * index settles a race between two creates).
 */
export const prepareScene: CollectionBeforeValidateHook<Scene> = async ({ data, operation, req }) => {
  if (!data || operation !== 'create') return data
  const episodeId = relationId(data.episode)
  if (!episodeId) return data
  if (!relationId(data.project)) {
    const episode = await req.payload.findByID({
      collection: slugs.episodes,
      id: episodeId,
      select: { project: true },
      depth: 0,
      disableErrors: true,
      overrideAccess: true, // reading the parent to derive a value, whatever the caller may read
      req,
    })
    if (!episode) {
      throw new ValidationError({ collection: slugs.scenes, errors: [{ path: 'episode', message: `Episode ${episodeId} does not exist.` }] })
    }
    data.project = relationId(episode.project)
  }
  if (data.sceneNumber === undefined || data.sceneNumber === null) {
    const { docs } = await req.payload.find({
      collection: slugs.scenes,
      where: { episode: { equals: episodeId } },
      sort: '-sceneNumber',
      limit: 1,
      select: { sceneNumber: true },
      depth: 0,
      pagination: false,
      overrideAccess: true, // numbering counts every scene of the episode
      req,
    })
    data.sceneNumber = (docs[0]?.sceneNumber ?? 0) + 1
  }
  return data
}
