import { z } from 'zod'

/** Whom to invite (or hand a project over to): an email address, whether or not it has an account. */
export const invitationSchema = z.object({ email: z.email().max(254).transform((email) => email.toLowerCase()) }).strict()

export type InvitationDTO = z.input<typeof invitationSchema>

/** A request body, untrusted until the service's schema has parsed it; one that is not an object is passed on to be rejected. */
export const asInvitationDTO = (body: unknown) => (body && typeof body === 'object' && !Array.isArray(body) ? body : { body }) as InvitationDTO
