import type { Where } from 'payload'

import type { Project } from '../payload-types'

import { isAdminUser, isApiKeyUser, isPerson } from '../model/roles'
import { slugs } from '../model/slugs'
import { relationId, relationIds } from '../model/references'
import { recordMembership, syncCollaborators } from '../records/memberships'
import { ConflictError, ForbiddenError, NotFoundError } from '../errors'
import { cacheTags } from '../lib/cache'
import { type Actor, requireUser } from './actor'
import { asCaller, createCollectionService } from './collectionService'
import { buildProjectOverview, type ProjectOverview } from './projectOverview'
import { type Page, parseInput } from './schemas/common'
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

const base = createCollectionService({
  slug: slugs.projects,
  resource: 'Project',
  createSchema: createProjectSchema,
  updateSchema: updateProjectSchema,
  listSelect: projectListSelect,
  // Every write to a project invalidates its entries on every instance (Projects' afterChange/afterDelete hooks).
  cached: { tag: cacheTags.project },
})

const ownerId = (project: Project) => relationId(project.createdBy)
const collaboratorIds = (project: Project) => relationIds(project.collaborators)

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
  // A person (not an admin) listing every project of their own: the read rule (isProjectMember) applies this very
  // filter, and applied twice FerretDB evaluates the `or` twice on every row of its scan. Everyone else keeps it (an
  // admin reads everything, so the filter is what narrows the list; another member's or one role's list is narrower).
  const readRuleFilters = role === 'all' && memberId === user.id && isPerson(user) && !isAdminUser(user)
  const conditions: Where[] = readRuleFilters ? [] : [{ or: membership }]
  if (status) conditions.push({ status: { equals: status } })
  if (genre) conditions.push({ genre: { equals: genre } })
  return base.list({ actor, where: conditions.length > 0 ? { and: conditions } : {}, sort: '-updatedAt', page, limit })
}

/** Owner or admin only: the project as it is now, for membership changes. */
async function findManagedProject({ actor, projectId }: { actor: Actor; projectId: string }) {
  const { user } = requireUser(actor)
  const project = await base.findById({ actor, id: projectId })
  // A worker's API key acts as a worker, never as the key owner (docs/ACCESS.md): it manages no memberships.
  if (isApiKeyUser(user) || (ownerId(project) !== user.id && !isAdminUser(user))) {
    throw new ForbiddenError({ message: 'Only the project owner or an admin, signed in, can manage collaborators' })
  }
  return project
}

/**
 * The project for its members (owner, collaborators) and admins: 404 for a caller who cannot see it, 403 for one
 * who sees it without being a member (a worker's API key acts as a worker, never as its owner).
 */
async function findForMember({ actor, projectId }: { actor: Actor; projectId: string }): Promise<Project> {
  const { user } = requireUser(actor)
  const project = await base.findById({ actor, id: projectId })
  const isMember = ownerId(project) === user.id || collaboratorIds(project).includes(user.id)
  if (isApiKeyUser(user) || !(isMember || isAdminUser(user))) {
    throw new ForbiddenError({ message: 'Only members of the project, signed in, can do this' })
  }
  return project
}

async function assertUserExists({ actor, userId }: { actor: Actor; userId: string }) {
  // Explicit bypass: a project owner cannot read other users' documents, but may name one by id. Only existence is
  // checked; nothing of the user is returned.
  const found = await actor.payload.find({
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

/**
 * Adds a collaborator by id: admins only. Everyone else invites by email (invitationService), so nobody is added
 * without consent and no answer tells which ids are accounts. Conflict when the user is the owner or already a
 * collaborator.
 */
async function addCollaborator({ actor, projectId, ...input }: { actor: Actor; projectId: string } & CollaboratorDTO): Promise<Project> {
  const { userId } = parseInput(collaboratorSchema, input)
  const project = await findManagedProject({ actor, projectId })
  if (!isAdminUser(requireUser(actor).user)) {
    throw new ForbiddenError({ message: 'Invite collaborators by email: POST /api/v1/projects/{id}/invitations' })
  }
  if (ownerId(project) === userId) throw new ConflictError({ message: 'The owner cannot be a collaborator', details: { userId } })
  const current = collaboratorIds(project)
  if (current.includes(userId)) throw new ConflictError({ message: 'The user is already a collaborator', details: { userId } })
  await assertUserExists({ actor, userId })
  // A membership record, then the list recomputed from the records (src/records/memberships.ts): never the list
  // written from this read, which a concurrent acceptance or removal may have outdated.
  await recordMembership({ payload: actor.payload, projectId: String(project.id), userId, status: 'accepted' })
  await syncCollaborators({ payload: actor.payload, projectId: String(project.id) })
  return (await actor.payload.findByID({ collection: slugs.projects, id: project.id, depth: 0, ...asCaller(actor) })) as Project
}

/** Removes a collaborator (owner or admin). NotFound when the user is not a collaborator. */
async function removeCollaborator({ actor, projectId, ...input }: { actor: Actor; projectId: string } & CollaboratorDTO): Promise<Project> {
  const { userId } = parseInput(collaboratorSchema, input)
  const project = await findManagedProject({ actor, projectId })
  const current = collaboratorIds(project)
  if (!current.includes(userId)) throw new NotFoundError({ resource: 'Collaborator', id: userId })
  await recordMembership({ payload: actor.payload, projectId: String(project.id), userId, status: 'removed' })
  await syncCollaborators({ payload: actor.payload, projectId: String(project.id) })
  return (await actor.payload.findByID({ collection: slugs.projects, id: project.id, depth: 0, ...asCaller(actor) })) as Project
}

/** A member as other members see them: id and name, nothing else of the account. */
export type ProjectMember = { id: string; name: string | null; role: 'owner' | 'collaborator' }

/**
 * The project's members (owner first) for anyone who may read the project. Other accounts are not readable through
 * Users (own account only), so names are looked up here as system code and only `{ id, name }` leaves.
 */
async function listMembers({ actor, projectId }: { actor: Actor; projectId: string }): Promise<{ members: ProjectMember[] }> {
  const project = await base.findById({ actor, id: projectId })
  const ids = [ownerId(project), ...collaboratorIds(project)].filter((id): id is string => Boolean(id))
  // overrideAccess: names of the project's members, for its members; the select keeps everything else out.
  const { docs } = await actor.payload.find({
    collection: slugs.users,
    where: { id: { in: ids } },
    select: { name: true },
    depth: 0,
    pagination: false,
    overrideAccess: true,
  })
  const names = new Map((docs as { id: string | number; name?: string | null }[]).map((user) => [String(user.id), user.name ?? null]))
  return {
    members: ids.filter((id) => names.has(id)).map((id, index) => ({ id, name: names.get(id)!, role: index === 0 && id === ownerId(project) ? 'owner' : 'collaborator' })),
  }
}

/** The project dashboard (projectOverview.ts): a fixed number of queries whatever the project's size. */
async function getOverview({ actor, projectId }: { actor: Actor; projectId: string }): Promise<ProjectOverview> {
  const project = await base.findById({ actor, id: projectId })
  return buildProjectOverview({ actor, project })
}

export const projectService = {
  /** Creates a project owned by the caller; the Projects hooks enforce the subscription's project quota. */
  create: base.create,
  findById: base.findById,
  findByUser,
  findForMember,
  update: base.update,
  delete: base.delete,
  addCollaborator,
  removeCollaborator,
  listMembers,
  getOverview,
}
