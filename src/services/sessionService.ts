import type { Session } from '../payload-types'

import type { z } from 'zod'

import { slugs } from '../collections/slugs'
import { type Actor, requireUser } from './actor'
import { createCollectionService } from './collectionService'
import { projectService } from './projectService'
import { type Page, parseInput } from './schemas/common'
import { createSessionSchema, type CreateSessionDTO, findSessionsSchema, updateSessionSchema } from './schemas/sessionSchemas'

export const sessionListSelect = {
  project: true,
  user: true,
  sessionState: true,
  currentStep: true,
  awaitingUserInput: true,
  updatedAt: true,
} as const

const base = createCollectionService<Session, typeof createSessionSchema, typeof updateSessionSchema>({
  slug: slugs.sessions,
  resource: 'Session',
  createSchema: createSessionSchema,
  updateSchema: updateSessionSchema,
  listSelect: sessionListSelect,
})

/** Starts a conversation of the caller's on a project the caller can see. */
async function create({ actor, data }: { actor: Actor; data: CreateSessionDTO }): Promise<Session> {
  const input = parseInput(createSessionSchema, data)
  await projectService.findById({ actor, id: input.project })
  return base.create({ actor, data: input })
}

/** The caller's own sessions, most recent first. */
async function findByUser({ actor, ...input }: { actor: Actor } & z.input<typeof findSessionsSchema>): Promise<Page<Session>> {
  const { user } = requireUser(actor)
  const { projectId, sessionState, page, limit } = parseInput(findSessionsSchema, input)
  const where = {
    user: { equals: user.id },
    ...(projectId ? { project: { equals: projectId } } : {}),
    ...(sessionState ? { sessionState: { equals: sessionState } } : {}),
  }
  return base.list({ actor, where, sort: '-updatedAt', page, limit })
}

export const sessionService = {
  create,
  findById: base.findById,
  findByUser,
  update: base.update,
  delete: base.delete,
}
