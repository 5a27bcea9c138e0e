import { z } from 'zod'

import { idSchema } from './common'

/** Whom to invite (or hand a project over to): an email address, whether or not it has an account. */
export const invitationSchema = z.object({ email: z.email().max(254).transform((email) => email.toLowerCase()) }).strict()

/**
 * Answering an invitation: the token mailed to the invited address proves the caller controls it (an account that
 * merely holds the address, registered or moved to it without proof, is not enough).
 */
export const answerInvitationSchema = z
  .object({ token: z.string().min(1).max(200).describe('The token from the invitation mail sent to the invited address') })
  .strict()

/** The owner (or an admin) takes back an invitation or a transfer that is still pending. */
export const withdrawInvitationSchema = z.object({ projectId: idSchema, invitationId: idSchema }).strict()

export type InvitationDTO = z.input<typeof invitationSchema>
export type AnswerInvitationDTO = z.input<typeof answerInvitationSchema>
