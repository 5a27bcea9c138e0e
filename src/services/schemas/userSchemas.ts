import { z } from 'zod'

import { paginationSchema, shortText } from './common'

/** Registration: role and subscription are not the caller's to choose. */
export const createUserSchema = z
  .object({
    email: z.email().max(254),
    password: z.string().min(8).max(200),
    name: shortText().nullish(),
  })
  .strict()

export const updateUserSchema = z
  .object({
    name: shortText().nullish(),
    preferences: z
      .object({ theme: shortText().nullish(), notifications: z.boolean().nullish(), language: z.string().max(20).nullish() })
      .strict()
      .partial(),
  })
  .partial()
  .strict()

export const findUsersSchema = paginationSchema.strict()

export type CreateUserDTO = z.input<typeof createUserSchema>
export type UpdateUserDTO = z.input<typeof updateUserSchema>

/** The token mailed to a new address, sent back to prove it (POST /api/v1/account/email/confirm). */
export const confirmEmailChangeSchema = z.object({ token: z.string().min(1).max(200) }).strict()
export type ConfirmEmailChangeDTO = z.input<typeof confirmEmailChangeSchema>
