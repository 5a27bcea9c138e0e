import type { CollectionBeforeValidateHook } from 'payload'

import { ValidationError } from 'payload'

import { relationId } from '../../../domain/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../slugs'

/**
 * Runs before the consistency checks: a new scene without `project` takes its episode's (its number is assigned
 * by assignSceneNumber, the last beforeChange hook).
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
  return data
}
