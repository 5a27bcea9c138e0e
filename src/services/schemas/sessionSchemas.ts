import { z } from 'zod'

import { conversationRoles, sessionStates } from '../../model/options'
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

/** JSON whose object keys never start with `$` (the database refuses such keys; Payload's own fields too). */
const storableJson = z.json().refine((value) => !hasDollarKey(value), 'Object keys must not start with $')
function hasDollarKey(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasDollarKey)
  if (value && typeof value === 'object') return Object.entries(value).some(([key, inner]) => key.startsWith('$') || hasDollarKey(inner))
  return false
}

/** The context of a conversation: documents of the session's project (checked on save) and free state. */
const contextDataInput = z
  .object({
    currentEpisode: idSchema.nullish(),
    currentScene: idSchema.nullish(),
    focusCharacter: idSchema.nullish(),
    workflowState: storableJson.optional(),
    userPreferences: storableJson.optional(),
  })
  .strict()
  .partial()

/** POST /api/v1/sessions: a session starts active, empty, on one of the caller's projects. */
export const startSessionSchema = z
  .object({ project: idSchema, currentStep: shortText().nullish(), contextData: contextDataInput })
  .partial({ currentStep: true, contextData: true })
  .strict()

export const appendMessageSchema = z
  .object({ role: z.enum(conversationRoles), content: text(100_000).min(1), metadata: storableJson.optional() })
  .strict()

/** Cursor paging, newest first: `before` is the `nextCursor` of the previous page (a message's seq). */
export const listMessagesSchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(100).default(20),
    // The previous page's nextCursor as it came (a string of digits, the same type on both sides for a typed client).
    before: z.coerce
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'Pass the nextCursor of the previous page')
      .transform(Number)
      .optional()
      .describe('The nextCursor of the previous page: the older messages'),
  })
  .strict()

/** What PATCH /api/v1/sessions/{id} changes; history and choices have their own endpoints. */
export const patchSessionSchema = z
  .object({
    currentStep: shortText().nullish(),
    sessionState: z.enum(sessionStates),
    contextData: contextDataInput,
  })
  .partial()
  .strict()


export const offerChoicesSchema = z
  .object({
    choices: z
      .array(
        z
          .object({ choiceId: shortText().min(1), label: shortText().min(1), action: shortText().min(1), metadata: storableJson.optional() })
          .strict(),
      )
      .min(1)
      .max(20)
      .refine((choices) => new Set(choices.map((choice) => choice.choiceId)).size === choices.length, 'choiceId values must be unique'),
  })
  .strict()

export type StartSessionDTO = z.input<typeof startSessionSchema>
export type AppendMessageDTO = z.input<typeof appendMessageSchema>
export type ListMessagesDTO = z.input<typeof listMessagesSchema>
export type PatchSessionDTO = z.input<typeof patchSessionSchema>
export type OfferChoicesDTO = z.input<typeof offerChoicesSchema>
