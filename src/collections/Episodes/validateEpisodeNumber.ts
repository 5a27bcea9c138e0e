import type { NumberFieldSingleValidation } from 'payload'

import { number } from 'payload/shared'

import { relationId } from '../../domain/references'
import { slugs } from '../../model/slugs'

/**
 * Payload's number checks, then: the number is within the project's episodeCount and not taken in the project.
 * A field validator rather than a hook, so its error is reported together with the other fields' errors. It also
 * runs on the admin's form-state requests (event onChange): the admin re-validates right after a refused save, and a
 * validator that passed there would clear the error from the field it belongs to. The
 * unique project+episodeNumber index stays the arbiter when two writes race.
 */
export const validateEpisodeNumber: NumberFieldSingleValidation = async (value, options) => {
  const base = await number(value, options as Parameters<typeof number>[1])
  if (base !== true || typeof value !== 'number') return base
  const { data, id, req } = options
  const projectId = relationId((data as { project?: unknown }).project)
  if (!projectId) return true
  const project = await req.payload.findByID({
    collection: slugs.projects,
    id: projectId,
    select: { episodeCount: true },
    depth: 0,
    disableErrors: true,
    overrideAccess: true, // the limit applies whatever the caller may read
    req,
  })
  if (project && value > (project.episodeCount ?? 0)) {
    return `Episode number ${value} exceeds the project's episode count (${project.episodeCount}).`
  }
  const taken = await req.payload.count({
    collection: slugs.episodes,
    where: {
      and: [{ project: { equals: projectId } }, { episodeNumber: { equals: value } }, ...(id ? [{ id: { not_equals: id } }] : [])],
    },
    overrideAccess: true, // uniqueness counts every episode of the project
    req,
  })
  return taken.totalDocs > 0 ? `The project already has an episode ${value}.` : true
}
