import type { UploadField } from 'payload'

import { slugs } from '../model/slugs'
import type { mediaTypes } from '../model/options'
import { ownProjectFilter, sameProjectFilter } from './sameProjectFilter'

type MediaType = (typeof mediaTypes)[number]

/**
 * A relationship to media of the given types, of the document's project (`scope: 'own'` on the project itself).
 * The filter narrows the admin picker and Payload also enforces it on every write, so a scene's video segment is
 * always a video segment. An `upload` field rather than a `relationship`: stored, validated and served the same
 * (REST, GraphQL), but the admin shows the chosen media and the picker as thumbnails.
 */
export function mediaField({
  name,
  types,
  hasMany = false,
  description,
  scope = 'document',
}: {
  name: string
  types: readonly MediaType[]
  hasMany?: boolean
  description?: string
  scope?: 'document' | 'own'
}): UploadField {
  const ofTypes = { mediaType: types.length === 1 ? { equals: types[0] } : { in: [...types] } }
  return {
    name,
    type: 'upload',
    relationTo: slugs.media,
    hasMany,
    filterOptions: scope === 'own' ? ownProjectFilter(ofTypes) : sameProjectFilter(ofTypes),
    admin: description ? { description } : undefined,
  } as UploadField
}

/** Media types that are still images. */
export const imageMediaTypes = [
  'style_reference',
  'character_design',
  'environment_design',
  'concept_art',
  'storyboard',
] as const satisfies readonly MediaType[]
