import type { CollectionBeforeValidateHook, CollectionSlug } from 'payload'

import { FieldValidationError } from '../../../errors'

import { projectOfParent } from '../../../records/derivedProject'
import { isMimeTypeAllowed, type MediaType, mimeFamilyByMediaType } from '../../../domain/mediaRules'
import { effectiveValue, isLeftEmpty, relationId } from '../../../model/references'
import type { Media } from '../../../payload-types'
import { slugs } from '../../../model/slugs'

/**
 * The file must be of the family its media type holds (images for designs, art and storyboards, video for
 * segments and final videos, audio for clips, voices, music and effects), on upload and when the type changes.
 * Media without a project take the project of their episode, scene or character.
 */
export const prepareMedia: CollectionBeforeValidateHook<Media> = async ({ data, originalDoc, req }) => {
  if (!data) return data
  const mediaType = effectiveValue({ data, originalDoc, path: ['mediaType'] }) as MediaType | undefined
  const hasNewFile = Boolean(req.file)
  const mimeType = (hasNewFile ? data.mimeType : originalDoc?.mimeType) ?? req.file?.mimetype
  if (mediaType && mimeType && mimeFamilyByMediaType[mediaType] && !isMimeTypeAllowed({ mediaType, mimeType })) {
    throw new FieldValidationError({
      collection: slugs.media,
      errors: [
        {
          path: hasNewFile ? 'file' : 'mediaType',
          message: `A ${mediaType} must be ${mimeFamilyByMediaType[mediaType]} (${mimeFamilyByMediaType[mediaType]}/*), not ${mimeType}.`,
        },
      ],
    })
  }

  if (isLeftEmpty(effectiveValue({ data, originalDoc, path: ['project'] }))) {
    const sources: [CollectionSlug, unknown, string][] = [
      [slugs.episodes, effectiveValue({ data, originalDoc, path: ['episode'] }), 'episode'],
      [slugs.scenes, effectiveValue({ data, originalDoc, path: ['scene'] }), 'scene'],
      [slugs.characters, effectiveValue({ data, originalDoc, path: ['character'] }), 'character'],
    ]
    // The first parent given decides; checkMediaRelations then holds the others to the same project.
    const given = sources.map(([collection, value, path]) => ({ collection, path, id: relationId(value) })).find((source) => source.id)
    if (given) data.project = await projectOfParent({ req, collection: given.collection, id: given.id!, path: given.path, writing: slugs.media })
  }
  return data
}
