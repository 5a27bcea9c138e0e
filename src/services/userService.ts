import type { User } from '../payload-types'

import type { z } from 'zod'

import { confirmEmailChange as confirmStoredEmailChange } from '../records/emailChange'
import { ConflictError, ValidationError } from '../errors'
import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { asCaller, createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'
import {
  type ConfirmEmailChangeDTO,
  confirmEmailChangeSchema,
  createUserSchema,
  type CreateUserDTO,
  findUsersSchema,
  updateUserSchema,
} from './schemas/userSchemas'

export const userListSelect = { email: true, name: true, role: true, subscription: { tier: true }, createdAt: true } as const

const base = createCollectionService({
  slug: slugs.users,
  resource: 'User',
  createSchema: createUserSchema,
  updateSchema: updateUserSchema,
  listSelect: userListSelect,
})

/** Registration is public: no caller needed; role and subscription keep their defaults. */
async function create({ actor, data }: { actor: Actor; data: CreateUserDTO }): Promise<User> {
  const input = parseInput(createUserSchema, data)
  return (await actor.payload.create({ collection: slugs.users, data: input, depth: 0, ...asCaller(actor) })) as User
}

/** Users the caller may list (admins: everyone; others: themselves), by email. */
async function findAll({ actor, ...input }: { actor: Actor } & z.input<typeof findUsersSchema>): Promise<Page<User>> {
  const { page, limit } = parseInput(findUsersSchema, input)
  return base.list({ actor, where: {}, sort: 'email', page, limit })
}

/**
 * The token mailed to a new address came back: the account now has that address (docs/ACCESS.md, "Changing one's
 * email"). Needs no session — the token is the proof, whoever holds the link. An unknown, used or expired token is
 * one 400; an address that got an account meanwhile is a 409 (only the address's holder has the token to learn it).
 */
async function confirmEmailChange({ actor, ...input }: { actor: Actor } & ConfirmEmailChangeDTO): Promise<{ status: 'confirmed'; email: string }> {
  const { token } = parseInput(confirmEmailChangeSchema, input)
  const result = await confirmStoredEmailChange({ payload: actor.payload, token })
  if (result === 'invalid') throw new ValidationError({ issues: [{ path: 'token', message: 'The token is not valid or has expired' }] })
  if (result === 'taken') throw new ConflictError({ message: 'This address already belongs to another account' })
  return { status: 'confirmed', email: result.email }
}

export const userService = {
  confirmEmailChange,
  create,
  findById: base.findById,
  findAll,
  update: base.update,
  delete: base.delete,
}
