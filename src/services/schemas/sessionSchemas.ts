import { z } from 'zod'

import { conversationRoles, sessionStates } from '../../collections/options'
import { idSchema, isoDate, paginationSchema, shortText, text } from './common'

const sessionFields = {
  project: idSchema,
  sessionState: z.enum(sessionStates),
  currentStep: shortText().nullish(),
  awaitingUserInput: z.boolean(),
  conversationHistory: z
    .array(
      z
        .object({ role: z.enum(conversationRoles), content: text(100_000).min(1), timestamp: isoDate().nullish(), metadata: z.json().optional() })
        .strict(),
    )
    .max(1000),
  contextData: z
    .object({
      currentEpisode: idSchema.nullish(),
      currentScene: idSchema.nullish(),
      focusCharacter: idSchema.nullish(),
      workflowState: z.json().optional(),
      userPreferences: z.json().optional(),
    })
    .strict()
    .partial(),
  lastChoices: z
    .array(
      z
        .object({ choiceId: shortText().min(1), label: shortText().nullish(), action: shortText().nullish(), metadata: z.json().optional() })
        .strict(),
    )
    .max(100),
}

export const createSessionSchema = z
  .object(sessionFields)
  .partial({ sessionState: true, currentStep: true, awaitingUserInput: true, conversationHistory: true, contextData: true, lastChoices: true })
  .strict()

export const updateSessionSchema = z.object(sessionFields).omit({ project: true }).partial().strict()

export const findSessionsSchema = paginationSchema
  .extend({ projectId: idSchema.optional(), sessionState: z.enum(sessionStates).optional() })
  .strict()

export type CreateSessionDTO = z.input<typeof createSessionSchema>
export type UpdateSessionDTO = z.input<typeof updateSessionSchema>
