import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { slugs } from '../../../src/model/slugs'
import { projectService } from '../../../src/services/projectService'
import { createTestPayload } from '../../helpers/payload'
import { loose } from '../../helpers/loose'

let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('field-access'))
})
afterAll(async () => cleanup?.())

const as = (user: any, strategy = 'local-jwt') => ({ user: { ...user, collection: 'users', _strategy: strategy }, overrideAccess: false as const })
const register = (email: string, extra: Record<string, unknown> = {}) =>
  loose(payload).create({ collection: slugs.users, data: { email, password: 'Passw0rd!secret', ...extra } as never, overrideAccess: false })

let admin: any, owner: any, collaborator: any, stranger: any, project: any

describe('first user and registration', () => {
  it('makes only the first account admin, even when registrations race on an empty database', async () => {
    const racers = await Promise.all([1, 2, 3].map((n) => register(`racer${n}@example.test`)))
    const roles = await payload.find({ collection: slugs.users, where: { id: { in: racers.map((user) => user.id) } }, depth: 0 })
    expect(roles.docs.filter((user) => user.role === 'admin')).toHaveLength(1)
    admin = roles.docs.find((user) => user.role === 'admin')
    const oldest = await payload.find({ collection: slugs.users, sort: ['createdAt', 'id'], limit: 1, depth: 0 })
    expect(String(oldest.docs[0]!.id)).toBe(String(admin.id))
  })

  it('registers everyone else as role user, tier free, whatever the request says', async () => {
    const user = await register('climber@example.test', {
      role: 'admin',
      subscription: { tier: 'enterprise', maxProjects: 999, maxEpisodesPerProject: 999, features: ['premium-quality'] },
    })
    const stored = await payload.findByID({ collection: slugs.users, id: user.id, depth: 0 })
    expect(stored.role).toBe('user')
    expect(stored.subscription?.tier).toBe('free')
    expect(stored.subscription?.maxProjects ?? null).toBeNull()
    expect(stored.subscription?.features ?? []).toEqual([])
    owner = stored
  })

  it('lets an admin create a producer with a paid tier', async () => {
    const producer = await loose(payload).create({
      collection: slugs.users,
      data: { email: 'producer@example.test', password: 'Passw0rd!secret', role: 'producer', subscription: { tier: 'pro' } } as never,
      ...as(admin),
    })
    expect(producer.role).toBe('producer')
    expect(producer.subscription?.tier).toBe('pro')
  })
})

describe('role and subscription on one’s own account', () => {
  it('a user cannot raise their own role or tier (the change is dropped)', async () => {
    const result = await loose(payload).update({
      collection: slugs.users,
      id: owner.id,
      data: { name: 'Still me', role: 'admin', subscription: { tier: 'enterprise', maxProjects: 1000 } } as never,
      ...as(owner),
    })
    expect(result.name).toBe('Still me')
    const stored = await payload.findByID({ collection: slugs.users, id: owner.id, depth: 0 })
    expect(stored.role).toBe('user')
    expect(stored.subscription?.tier).toBe('free')
    expect(stored.subscription?.maxProjects ?? null).toBeNull()
  })

  it('an admin can change them', async () => {
    await loose(payload).update({ collection: slugs.users, id: owner.id, data: { subscription: { tier: 'pro' } } as never, ...as(admin) })
    const stored = await payload.findByID({ collection: slugs.users, id: owner.id, depth: 0 })
    expect(stored.subscription?.tier).toBe('pro')
  })

  it('a user cannot give themselves an API key', async () => {
    await loose(payload).update({ collection: slugs.users, id: owner.id, data: { enableAPIKey: true, apiKey: 'self-issued-key-123' } as never, ...as(owner) })
    const stored = await payload.find({ collection: slugs.users, where: { id: { equals: owner.id } }, depth: 0, showHiddenFields: true })
    expect(stored.docs[0]!.apiKeyIndex ?? null).toBeNull()
  })
})

describe('what others see of an account', () => {
  beforeAll(async () => {
    collaborator = await register('collab@example.test', { name: 'Kim' })
    stranger = await register('stranger@example.test', { name: 'Sam' })
    project = await loose(payload).create({ collection: slugs.projects, data: { title: 'Shared', episodeCount: 5, createdBy: owner.id, collaborators: [collaborator.id] } })
  })

  // Policy changed in the merge (issue 9): users read only their own account; a co-member's name comes from the
  // project's member list (projectService.listMembers, GET /api/v1/projects/{id}/collaborators), nothing else of it.
  it('a collaborator sees only the name of a co-member, through the project member list', async () => {
    const direct = await payload.findByID({ collection: slugs.users, id: owner.id, depth: 0, ...as(collaborator) }).catch((error) => error)
    expect(direct.status).toBe(404)
    const { members } = await projectService.listMembers({ actor: { payload, user: { ...collaborator, collection: 'users' } } as never, projectId: String(project.id) })
    const seen: any = members.find((member) => member.id === String(owner.id))
    expect(seen).toEqual({ id: String(owner.id), name: 'Still me', role: 'owner' })
    // Nothing else of any account leaves: each entry is exactly { id, name, role-in-project }, no email.
    for (const member of members) expect(Object.keys(member).sort()).toEqual(['id', 'name', 'role'])
    expect(JSON.stringify(members)).not.toContain('climber@example.test')
  })

  it('a stranger gets 404 for an existing account, the same answer as for a missing one', async () => {
    const existing = await payload.findByID({ collection: slugs.users, id: owner.id, ...as(stranger) }).catch((error) => error)
    const missing = await payload.findByID({ collection: slugs.users, id: '0123456789abcdef01234567', ...as(stranger) }).catch((error) => error)
    expect(existing.status).toBe(404)
    expect(missing.status).toBe(existing.status)
    expect(missing.message).toBe(existing.message)
  })

  it('never returns a password hash, salt or API key, not even to admins', async () => {
    const worker = await loose(payload).create({
      collection: slugs.users,
      data: { email: 'worker@example.test', password: 'Passw0rd!secret', enableAPIKey: true, apiKey: 'secret-worker-key-0001' } as never,
      ...as(admin),
    })
    const seen: any = await payload.findByID({ collection: slugs.users, id: worker.id, depth: 0, ...as(admin) })
    const text = JSON.stringify(seen)
    expect(text).not.toContain('secret-worker-key-0001')
    for (const key of ['hash', 'salt', 'apiKey', 'apiKeyIndex', 'password']) expect(seen).not.toHaveProperty(key)
    // Stored encrypted: the raw document holds neither the key nor anything containing it.
    const raw = await payload.db.connection.collection('users').findOne({ email: 'worker@example.test' })
    expect(typeof raw?.apiKey).toBe('string')
    expect(JSON.stringify(raw)).not.toContain('secret-worker-key-0001')
    // The key works: Payload's api-key strategy finds the account by its HMAC index.
    const { user } = await payload.auth({ headers: new Headers({ Authorization: 'users API-Key secret-worker-key-0001' }) })
    expect(String(user?.id)).toBe(String(worker.id))
  })
})

describe('project ownership fields', () => {
  it('a non-admin creating a project owns it, whatever createdBy says', async () => {
    const created = await loose(payload).create({ collection: slugs.projects, data: { title: 'Mine', episodeCount: 2, createdBy: stranger.id } as never, depth: 0, ...as(owner) })
    expect(String(created.createdBy)).toBe(String(owner.id))
  })

  it('a collaborator cannot change collaborators or the owner; the owner only removes, an admin adds', async () => {
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [collaborator.id, stranger.id], createdBy: collaborator.id, description: 'edited' } as never, ...as(collaborator) })
    let stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect(stored.description).toBe('edited')
    expect((stored.collaborators ?? []).map(String)).toEqual([String(collaborator.id)])
    expect(String(stored.createdBy)).toBe(String(owner.id))

    // Policy changed in the merge: members join only through invitations, so an owner's list that adds someone is
    // dropped (and so is createdBy: only admins write it); the owner may still remove members, an admin may add.
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [collaborator.id, stranger.id], createdBy: stranger.id } as never, ...as(owner) })
    stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect((stored.collaborators ?? []).map(String)).toEqual([String(collaborator.id)])
    expect(String(stored.createdBy)).toBe(String(owner.id))

    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [collaborator.id, stranger.id] } as never, ...as(admin) })
    stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect((stored.collaborators ?? []).map(String).sort()).toEqual([String(collaborator.id), String(stranger.id)].sort())
    await loose(payload).update({ collection: slugs.projects, id: project.id, data: { collaborators: [collaborator.id] } as never, ...as(owner) })
    stored = await payload.findByID({ collection: slugs.projects, id: project.id, depth: 0 })
    expect((stored.collaborators ?? []).map(String)).toEqual([String(collaborator.id)])
  })

  it('nobody moves a document into a project they are not a member of', async () => {
    const foreign = await loose(payload).create({ collection: slugs.projects, data: { title: 'Foreign', episodeCount: 2, createdBy: stranger.id } })
    const character = await loose(payload).create({ collection: slugs.characters, data: { project: project.id, name: 'Mover' }, ...as(owner) })
    const moved = await payload
      .update({ collection: slugs.characters, id: character.id, data: { project: foreign.id } as never, ...as(owner) })
      .catch((error) => error)
    expect(moved.status).toBe(403)
    const stored = await payload.findByID({ collection: slugs.characters, id: character.id, depth: 0 })
    expect(String(stored.project)).toBe(String(project.id))
    const created = await loose(payload).create({ collection: slugs.characters, data: { project: foreign.id, name: 'Intruder' }, ...as(owner) }).catch((error) => error)
    expect(created.status).toBe(403)
    expect((await payload.count({ collection: slugs.characters, where: { name: { equals: 'Intruder' } } })).totalDocs).toBe(0)
  })

  it('a session always belongs to the person who opens it', async () => {
    const session = await loose(payload).create({ collection: slugs.sessions, data: { project: project.id, user: owner.id } as never, depth: 0, ...as(collaborator) })
    expect(String(session.user)).toBe(String(collaborator.id))
    await expect(payload.findByID({ collection: slugs.sessions, id: session.id, ...as(owner) })).rejects.toMatchObject({ status: 404 })
  })
})

describe('workers (API keys)', () => {
  let worker: any, task: any
  beforeAll(async () => {
    worker = await loose(payload).create({
      collection: slugs.users,
      data: { email: 'agent@example.test', password: 'Passw0rd!secret', role: 'admin', enableAPIKey: true, apiKey: 'agent-key-000000000001' } as never,
    })
    task = await loose(payload).create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation', priority: 3 } })
  })

  it('changes no task through the API, even with an admin-owned key: state goes through the engine', async () => {
    const refused = await loose(payload)
      .update({
        collection: slugs.tasks,
        id: task.id,
        data: { status: 'processing', priority: 10, taskType: 'video_generation', worker: { workerId: 'w-1' } } as never,
        ...as(worker, 'api-key'),
      })
      .catch((error: any) => error)
    expect(refused.status).toBe(403)
    const stored: any = await payload.findByID({ collection: slugs.tasks, id: task.id, depth: 0 })
    expect(stored.status).toBe('queued')
    expect(stored.worker?.workerId ?? null).toBeNull()
    expect(stored.priority).toBe(3)
    expect(stored.taskType).toBe('image_generation')
  })

  it('attaches media only to a processing task of the same project', async () => {
    // Server code (as the engine's claim) takes the task.
    await payload.update({ collection: slugs.tasks, id: task.id, data: { status: 'processing' } })
    const { pngFile } = await import('../../helpers/files')
    const attach = (taskId: string, projectId: string) =>
      loose(payload).create({
        collection: slugs.media,
        data: { project: projectId, mediaType: 'concept_art', agentGenerated: true, generationMetadata: { taskId } } as never,
        file: await_file,
        ...as(worker, 'api-key'),
      })
    const await_file = await pngFile(8, 8, 'agent.png')
    const other = await loose(payload).create({ collection: slugs.projects, data: { title: 'Other', episodeCount: 1, createdBy: stranger.id } })
    await expect(attach(String(task.id), String(other.id))).rejects.toMatchObject({ status: 403 })
    const queued = await loose(payload).create({ collection: slugs.tasks, data: { project: project.id, taskType: 'image_generation' } })
    await expect(attach(String(queued.id), String(project.id))).rejects.toMatchObject({ status: 403 })
    const media = await attach(String(task.id), String(project.id))
    expect(String(media.project)).toBe(String(project.id))
    await payload.delete({ collection: slugs.media, id: media.id })
  })

  it('reads no projects and no users but its own', async () => {
    const projects = await payload.find({ collection: slugs.projects, ...as(worker, 'api-key') }).catch((error) => error)
    expect(projects.status).toBe(403)
    const users = await payload.find({ collection: slugs.users, depth: 0, ...as(worker, 'api-key') })
    expect(users.docs.map((user) => String(user.id))).toEqual([String(worker.id)])
  })
})
