import type { CollectionBeforeValidateHook, CollectionSlug } from 'payload'

import { ValidationError } from 'payload'

import { isMimeTypeAllowed, type MediaType, mimeFamilyByMediaType } from '../../../domain/mediaRules'
import { effectiveValue, relationId } from '../../../domain/references'
import type { Media } from '../../../payload-types'
import { slugs } from '../../slugs'

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
    throw new ValidationError({
      collection: slugs.media,
      errors: [
        {
          path: hasNewFile ? 'file' : 'mediaType',
          message: `A ${mediaType} must be ${mimeFamilyByMediaType[mediaType]} (${mimeFamilyByMediaType[mediaType]}/*), not ${mimeType}.`,
        },
      ],
    })
  }

  if (!relationId(effectiveValue({ data, originalDoc, path: ['project'] }))) {
    const sources: [CollectionSlug, unknown][] = [
      [slugs.episodes, effectiveValue({ data, originalDoc, path: ['episode'] })],
      [slugs.scenes, effectiveValue({ data, originalDoc, path: ['scene'] })],
      [slugs.characters, effectiveValue({ data, originalDoc, path: ['character'] })],
    ]
    for (const [collection, value] of sources) {
      const id = relationId(value)
      if (!id) continue
      const parent = await req.payload.findByID({
        collection,
        id,
        select: { project: true },
        depth: 0,
        disableErrors: true,
        overrideAccess: true, // deriving the project from the parent, whatever the caller may read
        req,
      })
      const projectId = relationId((parent as { project?: unknown } | null)?.project)
      if (projectId) {
        data.project = projectId
        break
      }
    }
  }
  return data
}
