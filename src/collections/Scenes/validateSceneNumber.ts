import type { NumberFieldSingleValidation } from 'payload'

import { number } from 'payload/shared'

import { relationId } from '../../domain/references'
import { slugs } from '../../model/slugs'

/**
 * Payload's number checks, then: the number is not taken in the episode. A field validator rather than a hook, so
 * its error is reported together with the other fields' errors. It also runs on the admin's form-state requests
 * (event onChange): the admin re-validates right after a refused save, and a validator that passed there would clear
 * the error from the field it belongs to. The unique project+episode+sceneNumber index stays the arbiter when two
 * writes race.
 */
export const validateSceneNumber: NumberFieldSingleValidation = async (value, options) => {
  const base = await number(value, options as Parameters<typeof number>[1])
  if (base !== true || typeof value !== 'number') return base
  const { data, id, req } = options
  const episodeId = relationId((data as { episode?: unknown }).episode)
  const projectId = relationId((data as { project?: unknown }).project)
  if (!episodeId) return true
  const taken = await req.payload.count({
    collection: slugs.scenes,
    where: {
      and: [
        // The project (filled from the episode) keeps the count on the project's shard; a scene without one yet is
        // refused by the consistency checks, so the episode alone still decides here.
        ...(projectId ? [{ project: { equals: projectId } }] : []),
        { episode: { equals: episodeId } },
        { sceneNumber: { equals: value } },
        ...(id ? [{ id: { not_equals: id } }] : []),
      ],
    },
    overrideAccess: true, // uniqueness counts every scene of the episode
    req,
  })
  return taken.totalDocs > 0 ? `The episode already has a scene ${value}.` : true
}
