import { z } from 'zod'

import { mediaStatuses, mediaTypes } from '../../model/options'
import { cursorSchema, idSchema, nonNegative, paginationSchema, shortText, text } from './common'

/** Metadata edits; files themselves arrive through the upload endpoint (/api/media). */
export const updateMediaSchema = z
  .object({
    alt: shortText().nullish(),
    mediaType: z.enum(mediaTypes),
    status: z.enum(mediaStatuses),
    description: text().nullish(),
    tags: z.array(shortText()).max(100),
    episode: idSchema.nullish(),
    scene: idSchema.nullish(),
    character: idSchema.nullish(),
    technicalData: z
      .object({
        duration: nonNegative().max(1_000_000).nullish(),
        resolution: shortText().nullish(),
        fps: nonNegative().max(1000).nullish(),
        sampleRate: nonNegative().max(1_000_000).nullish(),
        bitrate: nonNegative().max(1e10).nullish(),
        codec: shortText().nullish(),
      })
      .strict()
      .partial(),
  })
  .partial()
  .strict()

export const findMediaByProjectSchema = paginationSchema
  .extend({
    projectId: idSchema,
    mediaType: z.enum(mediaTypes).optional(),
    status: z.enum(mediaStatuses).optional(),
    cursor: cursorSchema,
  })
  .strict()

export type UpdateMediaDTO = z.input<typeof updateMediaSchema>
export type FindMediaByProjectDTO = z.input<typeof findMediaByProjectSchema>
