import { z } from 'zod'

import { episodeStatuses } from '../../model/options'
import { idSchema, nonNegative, paginationSchema, shortText, text } from './common'

const episodeFields = {
  project: idSchema,
  episodeNumber: z.number().int().min(1).max(50),
  title: z.string().trim().min(1).max(200),
  description: text().nullish(),
  status: z.enum(episodeStatuses),
  synopsis: z
    .object({ logline: shortText().nullish(), summary: text().nullish(), themes: z.array(shortText()).max(50) })
    .strict()
    .partial(),
  script: z
    .object({
      content: text(200_000).nullish(),
      version: z.number().int().min(1).max(100_000),
      // wordCount and estimatedDuration are derived from the content (read-only): naming them is a 400.
    })
    .strict()
    .partial(),
  metadata: z
    .object({ duration: nonNegative().max(1_000_000).nullish(), finalVideo: idSchema.nullish(), thumbnail: idSchema.nullish(), subtitles: idSchema.nullish() })
    .strict()
    .partial(),
}

export const createEpisodeSchema = z
  .object(episodeFields)
  // episodeNumber: left out, the next number in the project (assigned by a hook).
  .partial({ episodeNumber: true, description: true, status: true, synopsis: true, script: true, metadata: true })
  .strict()

/** The project an episode belongs to never changes. */
export const updateEpisodeSchema = z.object(episodeFields).omit({ project: true }).partial().strict()

export const findEpisodesByProjectSchema = paginationSchema
  .extend({ projectId: idSchema, status: z.enum(episodeStatuses).optional() })
  .strict()

export type CreateEpisodeDTO = z.input<typeof createEpisodeSchema>
export type UpdateEpisodeDTO = z.input<typeof updateEpisodeSchema>
export type FindEpisodesByProjectDTO = z.input<typeof findEpisodesByProjectSchema>
