import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'

import { type Operation, type PolicySlug, type Principal, isAllowed } from '../../src/access/policy'
import { slugs } from '../../src/collections/slugs'
import { pngFile } from './files'
import { loose } from './loose'

/**
 * The reference scenario of the access policy (src/access/policy.ts): admin A, owner O of project X with
 * collaborator K, stranger S who owns project Y, producer P and a worker W (a user with an API key). Every
 * collection gets a target document in X and a decoy in Y, so a list shows whether rows leak.
 */
export type Person = 'owner' | 'collaborator' | 'stranger' | 'producer' | 'admin' | 'worker'
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
  const stranger = await makeUser('user')
  const producer = await makeUser('producer')
  const worker = await makeUser('user', { enableAPIKey: true, apiKey })
  const users = { admin, owner, collaborator, stranger, producer, worker }

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
    (await loose(payload).create({ collection: slugs.tasks, data: { project: X, taskType: 'image_generation', status: 'processing' } })).id,
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
  await both(slugs.promptTemplates, () => loose(payload).create({ collection: slugs.promptTemplates, data: { name: `tpl-${unique()}`, template: 'Hello {{name}}' } }))
  await both(slugs.promptsExecuted, (p) => loose(payload).create({ collection: slugs.promptsExecuted, data: { projectId: p, status: 'success', resolvedPrompt: 'Hello' } }))
  const audit = await payload.find({ collection: slugs.auditLog, where: { documentId: { equals: X } }, limit: 1 })
  targets[slugs.auditLog] = String(audit.docs[0]!.id)

  return { users, password: PASSWORD, apiKey, projectX: X, projectY: Y, episodeX: episodes[X]!, taskX, targets }
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
  }
  throw new Error(`no create data for ${slug}`)
}

/** A harmless change and the field path that shows whether it was applied. */
export function updateData(slug: PolicySlug): { data: Record<string, unknown>; read: (doc: any) => unknown; value: string } {
  const value = `changed-${unique()}`
  const on = (field: string) => ({ data: { [field]: value }, read: (doc: any) => doc?.[field], value })
  switch (slug) {
    case slugs.users:
      return on('name')
    case slugs.scenes:
      return on('mood')
    case slugs.media:
      return on('alt')
    case slugs.tasks:
      return { data: { progress: { currentStep: value } }, read: (doc: any) => doc?.progress?.currentStep, value }
    case slugs.sessions:
      return on('currentStep')
    case slugs.promptTemplates:
    case slugs.promptsExecuted:
      return on('notes')
    case slugs.auditLog:
      return on('ip')
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
  const isRole = ['anonymous', 'producer', 'admin', 'worker'].includes(principal)
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
    } else if (slug === slugs.promptTemplates || slug === slugs.auditLog) {
      relation = isRole ? principal : 'stranger'
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
