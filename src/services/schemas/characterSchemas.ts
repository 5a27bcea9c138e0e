import { z } from 'zod'

import { idSchema, nonNegative, paginationSchema, shortText, text } from './common'

const characterFields = {
  project: idSchema,
  name: z.string().trim().min(1).max(200),
  description: text().nullish(),
  profile: z
    .object({
      age: shortText().nullish(),
      gender: shortText().nullish(),
      personality: z.array(shortText()).max(50),
      backstory: text().nullish(),
      motivations: z.array(shortText()).max(50),
      relationships: z
        .array(
          z
            .object({ characterId: idSchema, relationshipType: shortText().nullish(), description: shortText().nullish() })
            .strict(),
        )
        .max(100),
    })
    .strict()
    .partial(),
  visualDesign: z
    .object({
      referenceImages: z.array(idSchema).max(100),
      finalDesign: idSchema.nullish(),
      styleNotes: text().nullish(),
      colorPalette: z.array(shortText()).max(50),
    })
    .strict()
    .partial(),
  voiceProfile: z
    .object({ voiceId: shortText().nullish(), audioSample: idSchema.nullish(), voiceCharacteristics: z.array(shortText()).max(50) })
    .strict()
    .partial(),
  appearances: z
    .array(
      z
        .object({ episodeId: idSchema, sceneIds: z.array(idSchema).max(500).optional(), screenTime: nonNegative().max(1_000_000).nullish() })
        .strict(),
    )
    .max(500),
}

export const createCharacterSchema = z
  .object(characterFields)
  .partial({ description: true, profile: true, visualDesign: true, voiceProfile: true, appearances: true })
  .strict()

export const updateCharacterSchema = z.object(characterFields).omit({ project: true }).partial().strict()

export const findCharactersByProjectSchema = paginationSchema.extend({ projectId: idSchema }).strict()

export type CreateCharacterDTO = z.input<typeof createCharacterSchema>
export type UpdateCharacterDTO = z.input<typeof updateCharacterSchema>
export type FindCharactersByProjectDTO = z.input<typeof findCharactersByProjectSchema>
