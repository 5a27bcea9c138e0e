import { z } from 'zod'

import { sceneProductionStatuses, timesOfDay } from '../../model/options'
import { idSchema, nonNegative, paginationSchema, shortText, text } from './common'

const sceneFields = {
  project: idSchema,
  episode: idSchema,
  sceneNumber: z.number().int().min(1).max(10_000),
  title: shortText().nullish(),
  script: z
    .object({
      action: text().nullish(),
      dialogue: z
        .array(
          z
            .object({
              character: idSchema.nullish(),
              lines: text().min(1),
              emotion: shortText().nullish(),
              timing: nonNegative().max(100_000).nullish(),
            })
            .strict(),
        )
        .max(500),
      duration: nonNegative().max(100_000).nullish(),
    })
    .strict()
    .partial(),
  storyboard: z
    .object({
      panels: z
        .array(
          z
            .object({
              panelNumber: z.number().int().min(1).nullish(),
              description: text().nullish(),
              image: idSchema.nullish(),
              cameraAngle: shortText().nullish(),
              notes: text().nullish(),
            })
            .strict(),
        )
        .max(500),
    })
    .strict()
    .partial(),
  production: z
    .object({
      status: z.enum(sceneProductionStatuses),
      videoSegment: idSchema.nullish(),
      audioTrack: idSchema.nullish(),
      sceneCut: idSchema.nullish(),
      // attempts and lastAttempt are counted by the server (read-only): naming them is a 400.
    })
    .strict()
    .partial(),
  characters: z.array(idSchema).max(200),
  location: shortText().nullish(),
  timeOfDay: z.enum(timesOfDay).nullish(),
  mood: shortText().nullish(),
}

export const createSceneSchema = z
  .object(sceneFields)
  // project: left out, the episode's; sceneNumber: left out, the next number in the episode (both filled by hooks).
  .partial({
    project: true,
    sceneNumber: true,
    title: true,
    script: true,
    storyboard: true,
    production: true,
    characters: true,
    location: true,
    timeOfDay: true,
    mood: true,
  })
  .strict()

export const updateSceneSchema = z.object(sceneFields).omit({ project: true, episode: true }).partial().strict()

export const findScenesByEpisodeSchema = paginationSchema
  .extend({ episodeId: idSchema, status: z.enum(sceneProductionStatuses).optional() })
  .strict()

export type CreateSceneDTO = z.input<typeof createSceneSchema>
export type UpdateSceneDTO = z.input<typeof updateSceneSchema>
export type FindScenesByEpisodeDTO = z.input<typeof findScenesByEpisodeSchema>

/** POST /episodes/{id}/scenes/order: every scene of the episode, once each, in the new order. */
export const reorderScenesSchema = z
  .object({
    episodeId: idSchema,
    sceneIds: z.array(idSchema).max(10_000).describe("Every scene of the episode, once each, first scene first; they are numbered 1..n in this order"),
  })
  .strict()
export type ReorderScenesDTO = z.input<typeof reorderScenesSchema>
