import type { Where } from 'payload'

import type { Project } from '../payload-types'

import { slugs } from '../collections/slugs'
import { relationId, relationIds } from '../domain/references'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors'
import { cacheTags, getCache } from '../lib/cache'
import { type Actor, isAdmin, requireUser } from './actor'
import { asCaller, createCollectionService, localApi } from './collectionService'
import { buildProjectOverview, type ProjectOverview } from './projectOverview'
import { idSchema, type Page, parseInput } from './schemas/common'
import {
  collaboratorSchema,
  type CollaboratorDTO,
  createProjectSchema,
  findProjectsByUserSchema,
  type FindProjectsByUserDTO,
  updateProjectSchema,
} from './schemas/projectSchemas'

/** What project lists return: enough for a dashboard card, no relationships populated. */
export const projectListSelect = {
  title: true,
  genre: true,
  status: true,
  episodeCount: true,
  targetAudience: true,
  createdBy: true,
  collaborators: true,
  progress: true,
  createdAt: true,
  updatedAt: true,
} as const

const base = createCollectionService<Project, typeof createProjectSchema, typeof updateProjectSchema>({
  slug: slugs.projects,
  resource: 'Project',
  createSchema: createProjectSchema,
  updateSchema: updateProjectSchema,
  listSelect: projectListSelect,
})

const ownerId = (project: Project) => relationId(project.createdBy)
const collaboratorIds = (project: Project) => relationIds(project.collaborators)

/**
 * A project as the caller may see it, from the cache when fresh. Entries are per caller (user id and the user
 * document's updatedAt, so a role change is a new key) and tagged with the project: every write to the project
 * invalidates them on every instance (Projects' afterChange/afterDelete hooks).
 */
async function findById({ actor, id }: { actor: Actor; id: string }): Promise<Project> {
  const { user } = requireUser(actor)
  const projectId = parseInput(idSchema, id)
  const project = await getCache().getOrLoad({
    key: `project:${projectId}:${user.id}:${user.updatedAt}`,
    tags: [cacheTags.project(projectId)],
    load: () =>
      localApi(actor.payload).findByID({
        collection: slugs.projects,
        id: projectId,
        depth: 0,
        disableErrors: true,
        ...asCaller(actor),
      }) as Promise<Project | null>,
    shouldStore: (doc) => doc !== null,
  })
  if (!project) throw new NotFoundError({ resource: 'Project', id: projectId })
  return project
}

/**
 * Projects a user owns or collaborates on (the caller by default), newest first, one page at a time. Filters:
 * status, genre, and role (owned, collaborating or all).
 */
async function findByUser({ actor, ...filters }: { actor: Actor } & FindProjectsByUserDTO): Promise<Page<Project>> {
  const { user } = requireUser(actor)
  const { status, genre, role, userId, page, limit } = parseInput(findProjectsByUserSchema, filters)
  const memberId = userId ?? user.id
  const membership: Where[] = []
  if (role !== 'collaborating') membership.push({ createdBy: { equals: memberId } })
  if (role !== 'owned') membership.push({ collaborators: { in: [memberId] } })
  const where: Where = { and: [{ or: membership }] }
  if (status) where.and!.push({ status: { equals: status } })
  if (genre) where.and!.push({ genre: { equals: genre } })
  return base.list({ actor, where, sort: '-updatedAt', page, limit })
}

/** Owner or admin only: the project as it is now, for membership changes. */
async function findManagedProject({ actor, projectId }: { actor: Actor; projectId: string }) {
  const { user } = requireUser(actor)
  const project = await findById({ actor, id: projectId })
  if (ownerId(project) !== user.id && !isAdmin(user)) {
    throw new ForbiddenError({ message: 'Only the project owner or an admin can manage collaborators' })
  }
  return project
}

async function assertUserExists({ actor, userId }: { actor: Actor; userId: string }) {
  // Explicit bypass: a project owner cannot read other users' documents, but may name one by id. Only existence is
  // checked; nothing of the user is returned.
  const found = await localApi(actor.payload).find({
    collection: slugs.users,
    where: { id: { equals: userId } },
    select: {},
    depth: 0,
    limit: 1,
    pagination: false,
    overrideAccess: true,
  })
  if (found.docs.length === 0) throw new NotFoundError({ resource: 'User', id: userId })
}

/** Adds a collaborator (owner or admin). Conflict when the user is the owner or already a collaborator. */
async function addCollaborator({ actor, projectId, ...input }: { actor: Actor; projectId: string } & CollaboratorDTO): Promise<Project> {
  const { userId } = parseInput(collaboratorSchema, input)
  const project = await findManagedProject({ actor, projectId })
  if (ownerId(project) === userId) throw new ConflictError({ message: 'The owner cannot be a collaborator', details: { userId } })
  const current = collaboratorIds(project)
  if (current.includes(userId)) throw new ConflictError({ message: 'The user is already a collaborator', details: { userId } })
  await assertUserExists({ actor, userId })
  return (await localApi(actor.payload).update({
    collection: slugs.projects,
    id: project.id,
    data: { collaborators: [...current, userId] },
    depth: 0,
    ...asCaller(actor),
  })) as Project
}

/** Removes a collaborator (owner or admin). NotFound when the user is not a collaborator. */
async function removeCollaborator({ actor, projectId, ...input }: { actor: Actor; projectId: string } & CollaboratorDTO): Promise<Project> {
  const { userId } = parseInput(collaboratorSchema, input)
  const project = await findManagedProject({ actor, projectId })
  const current = collaboratorIds(project)
  if (!current.includes(userId)) throw new NotFoundError({ resource: 'Collaborator', id: userId })
  return (await localApi(actor.payload).update({
    collection: slugs.projects,
    id: project.id,
    data: { collaborators: current.filter((id) => id !== userId) },
    depth: 0,
    ...asCaller(actor),
  })) as Project
}

/** The project dashboard (projectOverview.ts): a fixed number of queries whatever the project's size. */
async function getOverview({ actor, projectId }: { actor: Actor; projectId: string }): Promise<ProjectOverview> {
  const project = await findById({ actor, id: projectId })
  return buildProjectOverview({ actor, project })
}

export const projectService = {
  /** Creates a project owned by the caller; the Projects hooks enforce the subscription's project quota. */
  create: base.create,
  findById,
  findByUser,
  update: base.update,
  delete: base.delete,
  addCollaborator,
  removeCollaborator,
  getOverview,
}
