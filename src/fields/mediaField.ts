import type { RelationshipField } from 'payload'

import { slugs } from '../collections/slugs'
import type { mediaTypes } from '../collections/options'

type MediaType = (typeof mediaTypes)[number]

/**
 * A relationship to media of the given types. The filter narrows the admin picker and Payload also enforces it on
 * every write, so a scene's video segment is always a video segment.
 */
export function mediaField({
  name,
  types,
  hasMany = false,
  description,
}: {
  name: string
  types: readonly MediaType[]
  hasMany?: boolean
  description?: string
}): RelationshipField {
  return {
    name,
    type: 'relationship',
    relationTo: slugs.media,
    hasMany,
    filterOptions: { mediaType: types.length === 1 ? { equals: types[0] } : { in: [...types] } },
    admin: description ? { description } : undefined,
  } as RelationshipField
}

/** Media types that are still images. */
export const imageMediaTypes = [
  'style_reference',
  'character_design',
  'environment_design',
  'concept_art',
  'storyboard',
] as const satisfies readonly MediaType[]
