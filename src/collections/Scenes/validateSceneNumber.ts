import type { NumberFieldSingleValidation } from 'payload'

import { number } from 'payload/shared'

import { relationId } from '../../domain/references'
import { slugs } from '../slugs'

/**
 * Payload's number checks, then: the number is not taken in the episode. A field validator rather than a hook, so
 * its error is reported together with the other fields' errors. The unique episode+sceneNumber index stays the
 * arbiter when two writes race.
 */
export const validateSceneNumber: NumberFieldSingleValidation = async (value, options) => {
  const base = await number(value, options as Parameters<typeof number>[1])
  if (base !== true || typeof value !== 'number' || options.event === 'onChange') return base
  const { data, id, req } = options
  const episodeId = relationId((data as { episode?: unknown }).episode)
  if (!episodeId) return true
  const taken = await req.payload.count({
    collection: slugs.scenes,
    where: {
      and: [{ episode: { equals: episodeId } }, { sceneNumber: { equals: value } }, ...(id ? [{ id: { not_equals: id } }] : [])],
    },
    overrideAccess: true, // uniqueness counts every scene of the episode
    req,
  })
  return taken.totalDocs > 0 ? `The episode already has a scene ${value}.` : true
}
