import type { User } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../model/slugs'
import { type Actor } from './actor'
import { asCaller, createCollectionService } from './collectionService'
import { type Page, parseInput } from './schemas/common'
import { createUserSchema, type CreateUserDTO, findUsersSchema, updateUserSchema } from './schemas/userSchemas'

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

export const userService = {
  create,
  findById: base.findById,
  findAll,
  update: base.update,
  delete: base.delete,
}
