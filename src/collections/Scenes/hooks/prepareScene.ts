import type { CollectionBeforeValidateHook } from 'payload'

import { ValidationError } from 'payload'

import { reserveNextNumber } from '../../../domain/numbering'
import { relationId } from '../../../domain/references'
import type { Scene } from '../../../payload-types'
import { slugs } from '../../slugs'

/**
 * Runs before Payload's required-field validation: a new scene without `project` takes its episode's, and one
 * without `sceneNumber` gets the next free number in its episode, reserved so that concurrent creates each get their
 * own (reserveNextNumber).
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
    data.sceneNumber = await reserveNextNumber({ req, kind: 'scenes', parentId: episodeId })
  }
  return data
}
