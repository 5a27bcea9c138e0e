import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'

import { type Operation, type PolicySlug, type Principal, isAllowed } from '../../src/access/policy'
import { internalSlugs, slugs } from '../../src/model/slugs'
import { pngFile } from './files'
import { seeding } from './fixtures'
import { loose } from './loose'

/**
 * The reference scenario of the access policy (src/access/policy.ts): admin A, owner O of project X with
 * collaborator K and a pending invitation of I, stranger S who owns project Y, producer P and a worker W (a user with an API key). Every
 * collection gets a target document in X and a decoy in Y, so a list shows whether rows leak.
 */
export type Person = 'owner' | 'collaborator' | 'invitee' | 'stranger' | 'producer' | 'admin' | 'worker'
export type AnyUser = { id: string; email: string; role: string } & Record<string, unknown>

export type Scenario = {
  users: Record<Person, AnyUser>
  password: string
  apiKey: string
  projectX: string
  projectY: string
  episodeX: string
  taskX: string
  targets: Record<PolicySlug, string>
}

const unique = () => randomBytes(4).toString('hex')
let counter = 100

export const PASSWORD = 'Passw0rd!secret'

/** Seeds the scenario with server code (overrideAccess), as an admin script would. */
export async function seedScenario(payload: Payload): Promise<Scenario> {
  const apiKey = `key-${randomBytes(16).toString('hex')}`
  // Generous per-user limits: the matrix creates projects and episodes on every transport.
  const subscription = { tier: 'pro', maxProjects: 1000, maxEpisodesPerProject: 1000 }
  const makeUser = (role: string, extra: Record<string, unknown> = {}) =>
    loose(payload).create({
      collection: slugs.users,
      data: { email: `${role}-${unique()}@example.test`, password: PASSWORD, name: `The ${role}`, role, subscription, ...extra } as never,
    }) as unknown as Promise<AnyUser>
  const admin = await makeUser('admin')
  const owner = await makeUser('user')
  const collaborator = await makeUser('user')
  const invitee = await makeUser('user')
  const stranger = await makeUser('user')
  const producer = await makeUser('producer')
  const worker = await makeUser('user', { enableAPIKey: true, apiKey })
  const users = { admin, owner, collaborator, invitee, stranger, producer, worker }

  const project = (createdBy: string, collaborators: string[]) =>
    loose(payload).create({ collection: slugs.projects, data: { title: `Project ${unique()}`, episodeCount: 50, genre: 'drama', createdBy, collaborators } })
  const X = String((await project(owner.id, [collaborator.id])).id)
  const Y = String((await project(stranger.id, [])).id)

  const targets = {} as Record<PolicySlug, string>
  const decoys = {} as Record<PolicySlug, string>
  const both = async (slug: PolicySlug, make: (projectId: string, ownerId: string, episodeId?: string) => Promise<{ id: string | number }>) => {
    targets[slug] = String((await make(X, owner.id)).id)
    decoys[slug] = String((await make(Y, stranger.id)).id)
  }
  targets[slugs.users] = owner.id
  targets[slugs.projects] = X
  const episodes: Record<string, string> = {}
  for (const projectId of [X, Y]) {
    episodes[projectId] = String((await loose(payload).create({ collection: slugs.episodes, data: { project: projectId, episodeNumber: 1, title: 'Pilot' } })).id)
  }
  targets[slugs.episodes] = episodes[X]!
  const taskX = String(
    // A task being processed (the worker attaches media to it): seeded with import rights, as a restore would.
    (await loose(payload).create({ collection: slugs.tasks, data: { project: X, taskType: 'image_generation', status: 'processing' }, context: seeding })).id,
  )
  await loose(payload).create({ collection: slugs.tasks, data: { project: Y, taskType: 'image_generation', status: 'queued' } })
  targets[slugs.tasks] = taskX
  await both(slugs.characters, (p) => loose(payload).create({ collection: slugs.characters, data: { project: p, name: `Hero ${unique()}` } }))
  await both(slugs.scenes, (p) =>
    loose(payload).create({ collection: slugs.scenes, data: { project: p, episode: episodes[p]!, sceneNumber: counter++, title: 'Opening' } }),
  )
  await both(slugs.media, async (p) =>
    loose(payload).create({ collection: slugs.media, data: { project: p, mediaType: 'concept_art', alt: 'concept' }, file: await pngFile(8, 8, `${unique()}.png`) }),
  )
  await both(slugs.sessions, (p, user) => loose(payload).create({ collection: slugs.sessions, data: { project: p, user, currentStep: 'intro' } }))
  await both(slugs.promptTemplates, () => loose(payload).create({ collection: slugs.promptTemplates, data: { name: `tpl-${unique()}`, template: 'Hello {{name}}', variableDefs: [{ name: 'name' }] } }))
  await both(slugs.promptsExecuted, (p) => loose(payload).create({ collection: slugs.promptsExecuted, data: { projectId: p, status: 'success', resolvedPrompt: 'Hello' } }))
  // O invited I to X (pending); S invited someone else to Y (the decoy).
  const invitation = (projectId: string, email: string, invitedBy: string) =>
    loose(payload).create({ collection: slugs.projectInvitations, data: { project: projectId, email, invitedBy, pendingKey: `${projectId}:collaborator:${email}` } })
  targets[slugs.projectInvitations] = String((await invitation(X, invitee.email, owner.id)).id)
  await invitation(Y, `someone-${unique()}@example.test`, stranger.id)
  const audit = await payload.find({ collection: slugs.auditLog, where: { documentId: { equals: X } }, limit: 1 })
  targets[slugs.auditLog] = String(audit.docs[0]!.id)
  // Payload's own records, written through the database adapter as Payload itself writes them: O's lock on X and
  // O's preference (S's on Y as decoys), a migration record and a key-value entry.
  await both(internalSlugs.lockedDocuments, (_p, user) => internalRecord(payload, internalSlugs.lockedDocuments, user))
  await both(internalSlugs.preferences, (_p, user) => internalRecord(payload, internalSlugs.preferences, user))
  await both(internalSlugs.migrations, () => internalRecord(payload, internalSlugs.migrations))
  await both(internalSlugs.kv, () => internalRecord(payload, internalSlugs.kv))

  return { users, password: PASSWORD, apiKey, projectX: X, projectY: Y, episodeX: episodes[X]!, taskX, targets }
}

/**
 * A record of one of Payload's own collections, written through the database adapter (a lock or preference is
 * `user`'s). A lock holds a project of the user's own that no other row of the matrix changes: Payload releases the
 * locks of a document it updates.
 */
async function internalRecord(payload: Payload, slug: string, user?: string): Promise<{ id: string | number }> {
  const owner = { relationTo: slugs.users, value: user }
  const locked =
    slug === internalSlugs.lockedDocuments
      ? (await loose(payload).create({ collection: slugs.projects, data: { title: `Locked ${unique()}`, episodeCount: 1, createdBy: user } })).id
      : undefined
  const data: Record<string, Record<string, unknown>> = {
    [internalSlugs.lockedDocuments]: { document: { relationTo: slugs.projects, value: locked }, user: owner },
    [internalSlugs.preferences]: { key: `pref-${unique()}`, value: { open: true }, user: owner },
    [internalSlugs.migrations]: { name: `migration-${unique()}`, batch: 1 },
    [internalSlugs.kv]: { key: `kv-${unique()}`, data: { n: 1 } },
  }
  return payload.db.create({ collection: slug as never, data: data[slug]! }) as Promise<{ id: string | number }>
}

/** Data for creating a document of the collection in project X. */
export async function createData(slug: PolicySlug, s: Scenario): Promise<Record<string, unknown>> {
  switch (slug) {
    case slugs.users:
      return { email: `new-${unique()}@example.test`, password: PASSWORD, name: 'Newcomer' }
    case slugs.projects:
      return { title: `Mine ${unique()}`, episodeCount: 3, genre: 'comedy' }
    case slugs.episodes:
      // The number is assigned (the next free one in the project).
      return { project: s.projectX, title: `Next ${unique()}` }
    case slugs.characters:
      return { project: s.projectX, name: `Sidekick ${unique()}` }
    case slugs.scenes:
      return { project: s.projectX, episode: s.episodeX, sceneNumber: counter++, title: `Later ${unique()}` }
    case slugs.media:
      return { project: s.projectX, mediaType: 'concept_art', alt: 'generated', agentGenerated: true, generationMetadata: { taskId: s.taskX } }
    case slugs.tasks:
      return { project: s.projectX, taskType: 'script_generation' }
    case slugs.sessions:
      return { project: s.projectX, currentStep: 'start' }
    case slugs.promptTemplates:
      return { name: `tpl-${unique()}`, template: 'Hi' }
    case slugs.promptsExecuted:
      return { projectId: s.projectX, status: 'success', resolvedPrompt: `Hi ${unique()}` }
    case slugs.auditLog:
      return { operation: 'create', collectionSlug: 'projects', documentId: s.projectX }
    case slugs.projectInvitations:
      return { project: s.projectX, email: `guest-${unique()}@example.test` }
    // Payload files a lock or a preference under the caller, whatever `user` says.
    case internalSlugs.lockedDocuments:
      return { document: { relationTo: slugs.projects, value: s.projectX }, user: { relationTo: slugs.users, value: s.users.owner.id } }
    case internalSlugs.preferences:
      return { key: `pref-${unique()}`, value: { open: false }, user: { relationTo: slugs.users, value: s.users.owner.id } }
    case internalSlugs.migrations:
      return { name: `migration-${unique()}`, batch: 2 }
    case internalSlugs.kv:
      return { key: `kv-${unique()}`, data: { n: 2 } }
  }
  throw new Error(`no create data for ${slug}`)
}

/** The text field a harmless change sets, per collection (`description` where not listed). */
const changedField: Partial<Record<PolicySlug, string>> = {
  [slugs.users]: 'name',
  [slugs.scenes]: 'mood',
  [slugs.media]: 'alt',
  [slugs.sessions]: 'currentStep',
  [slugs.promptTemplates]: 'notes',
  [slugs.promptsExecuted]: 'notes',
  [slugs.auditLog]: 'ip',
  [internalSlugs.lockedDocuments]: 'globalSlug',
  [internalSlugs.preferences]: 'key',
  [internalSlugs.kv]: 'key',
  [internalSlugs.migrations]: 'name',
}

/** A harmless change and the field path that shows whether it was applied. */
export function updateData(slug: PolicySlug): { data: Record<string, unknown>; read: (doc: any) => unknown; value: string } {
  const value = `changed-${unique()}`
  const on = (field: string) => ({ data: { [field]: value }, read: (doc: any) => doc?.[field], value })
  const field = changedField[slug]
  if (field) return on(field)
  switch (slug) {
    case slugs.tasks:
      // A definition field: the state fields (progress, status, output…) are the engine's (docs/ACCESS.md).
      return { data: { input: { parameters: { note: value } } }, read: (doc: any) => doc?.input?.parameters?.note, value }
    case slugs.projectInvitations: {
      // Not the email: it decides who the invitee is, so an allowed change in one transport's pass would hide the
      // target from the invitee in the next. A distinct timestamp shows the change as well.
      const respondedAt = new Date(Date.UTC(2020, 0, 1) + Math.floor(Math.random() * 1e11)).toISOString()
      return { data: { respondedAt }, read: (doc: any) => doc?.respondedAt, value: respondedAt }
    }
    default:
      return on('description')
  }
}

/** A fresh document to delete (owned by O, in X); for Users the admin deletes a fresh account, others try O's. */
export async function deletable(payload: Payload, slug: PolicySlug, s: Scenario, principal: Principal): Promise<string> {
  const make = async () => {
    switch (slug) {
      case slugs.users:
        return principal === 'admin'
          ? loose(payload).create({ collection: slugs.users, data: { email: `gone-${unique()}@example.test`, password: PASSWORD } })
          : { id: s.users.owner.id }
      case slugs.projects:
        return loose(payload).create({ collection: slugs.projects, data: { title: 'Doomed', episodeCount: 1, createdBy: s.users.owner.id, collaborators: [s.users.collaborator.id] } })
      case slugs.media:
        return loose(payload).create({ collection: slugs.media, data: { project: s.projectX, mediaType: 'concept_art' }, file: await pngFile(8, 8, `${unique()}.png`) })
      case slugs.sessions:
        return loose(payload).create({ collection: slugs.sessions, data: { project: s.projectX, user: s.users.owner.id } })
      case slugs.auditLog:
        return { id: s.targets[slugs.auditLog] }
      case internalSlugs.lockedDocuments:
      case internalSlugs.preferences:
        return internalRecord(payload, slug, s.users.owner.id)
      case internalSlugs.migrations:
      case internalSlugs.kv:
        return internalRecord(payload, slug)
      default: {
        const data = await createData(slug, s)
        return loose(payload).create({ collection: slug as never, data: data as never })
      }
    }
  }
  return String((await make()).id)
}

type Membership = { owner?: string; collaborators: string[] }

/** How a principal relates to one stored document — the column of the policy table that decides its visibility. */
export async function expectedVisibility(payload: Payload, slug: PolicySlug, s: Scenario, principal: Principal): Promise<Set<string>> {
  const projects = await payload.find({ collection: slugs.projects, pagination: false, depth: 0 })
  const membership = new Map<string, Membership>(
    projects.docs.map((p) => [String(p.id), { owner: String(p.createdBy), collaborators: (p.collaborators ?? []).map(String) }]),
  )
  const me = principal === 'anonymous' ? undefined : s.users[principal].id
  // A producer is a tenant like any person for project content; the role matters only for prompt templates.
  const isRole = ['anonymous', 'admin', 'worker'].includes(principal)
  const byProject = (projectId: unknown): Principal => {
    if (isRole) return principal
    const m = membership.get(String(projectId))
    if (m?.owner === me) return 'owner'
    if (me && m?.collaborators.includes(me)) return 'collaborator'
    return 'stranger'
  }
  const coMembers = (userId: string) =>
    [...membership.values()].some((m) => {
      const people = [m.owner, ...m.collaborators]
      return people.includes(userId) && me !== undefined && people.includes(me)
    })
  const docs = await payload.find({ collection: slug as never, pagination: false, depth: 0 })
  const visible = new Set<string>()
  for (const doc of docs.docs as any[]) {
    let relation: Principal
    if (slug === slugs.users) {
      relation = doc.id === me ? 'owner' : isRole ? principal : coMembers(String(doc.id)) ? 'collaborator' : 'stranger'
    } else if (slug === slugs.projects) {
      relation = byProject(doc.id)
    } else if (slug === slugs.sessions) {
      relation = isRole ? principal : String(doc.user) === me ? 'owner' : byProject(doc.project) === 'stranger' ? 'stranger' : 'collaborator'
    } else if (slug === slugs.promptsExecuted) {
      relation = byProject(doc.projectId)
    } else if (slug === slugs.projectInvitations) {
      relation = isRole ? principal : doc.email === s.users[principal as Person]?.email ? 'invitee' : String(doc.invitedBy) === me ? 'owner' : 'stranger'
    } else if (slug === internalSlugs.lockedDocuments || slug === internalSlugs.preferences) {
      relation = isRole ? principal : String(doc.user?.value ?? doc.user) === me ? 'owner' : 'stranger'
    } else if (slug === internalSlugs.migrations || slug === internalSlugs.kv) {
      relation = isRole ? principal : 'stranger'
    } else if (slug === slugs.promptTemplates || slug === slugs.auditLog) {
      relation = isRole || principal === 'producer' ? principal : 'stranger'
    } else {
      relation = byProject(doc.project)
    }
    if (isAllowed(slug, relation, 'list')) visible.add(String(doc.id))
  }
  return visible
}

export type Outcome = { ok: true; doc?: any } | { ok: false; status: number; message?: string }

/** The statuses a refused request may answer with: 401/403, or 404 for a row outside what the caller may read. */
export const refusalStatuses = [401, 403, 404]

export type Transport = {
  name: string
  create: (slug: PolicySlug, data: Record<string, unknown>, as: Principal) => Promise<Outcome>
  read: (slug: PolicySlug, id: string, as: Principal) => Promise<Outcome>
  list: (slug: PolicySlug, as: Principal, where?: Record<string, unknown>) => Promise<Outcome & { ids?: string[]; totalDocs?: number; count?: number }>
  update: (slug: PolicySlug, id: string, data: Record<string, unknown>, as: Principal) => Promise<Outcome>
  delete: (slug: PolicySlug, id: string, as: Principal) => Promise<Outcome>
}

export type { Operation }
