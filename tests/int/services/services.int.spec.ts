import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Types } from 'mongoose'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError, ValidationError } from '../../../src/errors'
import { characterService } from '../../../src/services/characterService'
import { mediaService } from '../../../src/services/mediaService'
import { projectService } from '../../../src/services/projectService'
import { sceneService } from '../../../src/services/sceneService'
import { taskService } from '../../../src/services/taskService'
import { pngFile } from '../../helpers/files'
import { fixtures, seeding } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let make: ReturnType<typeof fixtures>
let admin: User, owner: User, collaborator: User, stranger: User
const as = (user: User | null): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('services'))
  make = fixtures(payload)
  // The first user becomes an admin; the others are plain users.
  admin = (await make.user()) as User
  owner = (await make.user({ subscription: { tier: 'pro' } })) as User
  collaborator = (await make.user()) as User
  stranger = (await make.user()) as User
})
afterAll(async () => {
  // Uploaded files live on disk (or in the bucket): delete their documents so the files go too.
  await payload?.delete({ collection: 'media', where: { id: { exists: true } } })
  await cleanup?.()
})

async function expectError<T extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => T): Promise<T> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(type)
  return err as T
}

describe('projectService', () => {
  it('creates a project owned by the caller and rejects invalid input with field paths', async () => {
    const project = await projectService.create({ actor: as(owner), data: { title: 'Owned', genre: 'comedy' } })
    expect(project.createdBy).toBe(owner.id)
    expect(project.status).toBe('concept')

    const err = await expectError(
      projectService.create({ actor: as(owner), data: { title: '', genre: 'opera', createdBy: stranger.id } as never }),
      ValidationError,
    )
    expect(err.issues.map((issue) => issue.path).sort()).toEqual(['createdBy', 'genre', 'title'])
    await expectError(projectService.create({ actor: as(null), data: { title: 'x' } }), UnauthorizedError)
    await projectService.delete({ actor: as(owner), id: project.id })
  })

  it('lists the projects a user owns or collaborates on, filtered and paginated', async () => {
    const mine = await Promise.all([
      make.project(owner.id, { status: 'production' }),
      make.project(owner.id, { status: 'production' }),
      make.project(owner.id, { status: 'concept' }),
    ])
    const shared = await make.project(stranger.id, { status: 'production', collaborators: [owner.id] })
    const foreign = await make.project(stranger.id, { status: 'production' })

    const all = await projectService.findByUser({ actor: as(owner) })
    expect(all.docs.map((doc) => doc.id).sort()).toEqual([...mine.map((p) => p.id), shared.id].sort())
    expect(all.limit).toBe(20)

    const production = await projectService.findByUser({ actor: as(owner), status: 'production' })
    expect(production.totalDocs).toBe(3)
    expect(production.docs.every((doc) => doc.status === 'production')).toBe(true)

    const owned = await projectService.findByUser({ actor: as(owner), role: 'owned', status: 'production' })
    expect(owned.docs.map((doc) => doc.id).sort()).toEqual([mine[0].id, mine[1].id].sort())

    const page2 = await projectService.findByUser({ actor: as(owner), limit: 3, page: 2 })
    expect(page2).toMatchObject({ page: 2, limit: 3, totalDocs: 4, totalPages: 2, hasPrevPage: true, hasNextPage: false })
    expect(page2.docs).toHaveLength(1)
    // Projection: list docs carry only the list fields.
    expect(Object.keys(all.docs[0])).not.toContain('projectSettings')

    const strangersView = await projectService.findByUser({ actor: as(stranger) })
    expect(strangersView.docs.map((doc) => doc.id)).not.toContain(mine[0].id)
    // Asking for someone else's projects only ever yields what the caller may see.
    const peek = await projectService.findByUser({ actor: as(stranger), userId: owner.id })
    expect(peek.docs.map((doc) => doc.id)).toEqual([shared.id])

    // One page-size rule with REST and GraphQL: above 100 (or 0, "all") one page of 100; a negative size is refused.
    expect((await projectService.findByUser({ actor: as(owner), limit: 101 })).limit).toBe(100)
    expect((await projectService.findByUser({ actor: as(owner), limit: 0 })).limit).toBe(100)
    const negative = await expectError(projectService.findByUser({ actor: as(owner), limit: -1 }), ValidationError)
    expect(negative.issues[0].path).toBe('limit')
    const injected = await expectError(
      projectService.findByUser({ actor: as(owner), status: { $ne: null } } as never),
      ValidationError,
    )
    expect(injected.issues[0].path).toBe('status')
    await expectError(projectService.findByUser({ actor: as(owner), where: {} } as never), ValidationError)
    void foreign
  })

  it('finds by id as the caller: strangers get NotFound, malformed ids a ValidationError', async () => {
    const project = await make.project(owner.id)
    expect((await projectService.findById({ actor: as(owner), id: project.id })).title).toBe(project.title)
    await expectError(projectService.findById({ actor: as(stranger), id: project.id }), NotFoundError)
    await expectError(projectService.findById({ actor: as(owner), id: '000000000000000000000000' }), NotFoundError)
    const bad = await expectError(projectService.findById({ actor: as(owner), id: '{"$ne":null}' }), ValidationError)
    expect(bad.issues[0].path).toBe('')
  })

  it('updates and deletes within the access rules', async () => {
    const project = await make.project(owner.id, { collaborators: [collaborator.id] })
    const updated = await projectService.update({ actor: as(collaborator), id: project.id, data: { title: 'Renamed' } })
    expect(updated.title).toBe('Renamed')
    await expectError(projectService.update({ actor: as(stranger), id: project.id, data: { title: 'Mine now' } }), NotFoundError)
    await expectError(
      projectService.update({ actor: as(owner), id: project.id, data: { collaborators: [stranger.id] } as never }),
      ValidationError,
    )
    await expect(projectService.delete({ actor: as(collaborator), id: project.id })).rejects.toMatchObject({ status: 403 })
    expect(await projectService.delete({ actor: as(owner), id: project.id })).toBe(true)
    await expectError(projectService.findById({ actor: as(owner), id: project.id }), NotFoundError)
  })

  it('manages collaborators: admins add by id (owners invite by email), conflicts and unknown users reported', async () => {
    const project = await make.project(owner.id)
    // Owners no longer add anyone by id (issue 9: no membership without consent): they invite.
    await expectError(projectService.addCollaborator({ actor: as(owner), projectId: project.id, userId: collaborator.id }), ForbiddenError)
    const added = await projectService.addCollaborator({ actor: as(admin), projectId: project.id, userId: collaborator.id })
    expect(added.collaborators).toEqual([collaborator.id])
    // The collaborator sees it now (its cached "not found" must not exist: misses are not stored).
    expect((await projectService.findById({ actor: as(collaborator), id: project.id })).id).toBe(project.id)

    await expectError(projectService.addCollaborator({ actor: as(admin), projectId: project.id, userId: collaborator.id }), ConflictError)
    await expectError(projectService.addCollaborator({ actor: as(admin), projectId: project.id, userId: owner.id }), ConflictError)
    await expectError(
      projectService.addCollaborator({ actor: as(admin), projectId: project.id, userId: '0123456789abcdef01234567' }),
      NotFoundError,
    )
    await expectError(
      projectService.addCollaborator({ actor: as(collaborator), projectId: project.id, userId: stranger.id }),
      ForbiddenError,
    )
    await expectError(projectService.addCollaborator({ actor: as(stranger), projectId: project.id, userId: stranger.id }), NotFoundError)

    await projectService.removeCollaborator({ actor: as(owner), projectId: project.id, userId: collaborator.id })
    // Removal is visible at once although the collaborator's read was cached.
    await expectError(projectService.findById({ actor: as(collaborator), id: project.id }), NotFoundError)
    await expectError(
      projectService.removeCollaborator({ actor: as(owner), projectId: project.id, userId: collaborator.id }),
      NotFoundError,
    )
  })

  it('never serves a stale project or character after a write that bypassed the services', async () => {
    const project = await make.project(owner.id, { title: 'Before' })
    const character = await make.character(project.id, { name: 'Ada' })
    expect((await projectService.findById({ actor: as(owner), id: project.id })).title).toBe('Before')
    expect((await characterService.findById({ actor: as(owner), id: character.id })).name).toBe('Ada')

    await payload.update({ collection: 'projects', id: project.id, data: { title: 'After' } })
    await payload.update({ collection: 'characters', id: character.id, data: { name: 'Grace' } })
    expect((await projectService.findById({ actor: as(owner), id: project.id })).title).toBe('After')
    expect((await characterService.findById({ actor: as(owner), id: character.id })).name).toBe('Grace')

    // A returned document is a copy: mutating it does not change what the next caller gets.
    const copy = await projectService.findById({ actor: as(owner), id: project.id })
    copy.title = 'Mutated'
    expect((await projectService.findById({ actor: as(owner), id: project.id })).title).toBe('After')

    await payload.delete({ collection: 'characters', id: character.id })
    await expectError(characterService.findById({ actor: as(owner), id: character.id }), NotFoundError)
  })
})

describe('lists of the spec', () => {
  it('returns an episode’s scenes in scene order, and NotFound for an invisible episode', async () => {
    const project = await make.project(owner.id)
    const episode = await make.episode(project.id, 1)
    for (const number of [3, 1, 2]) await make.scene(project.id, episode.id, number)
    const scenes = await sceneService.findByEpisode({ actor: as(owner), episodeId: episode.id })
    expect(scenes.docs.map((scene) => scene.sceneNumber)).toEqual([1, 2, 3])
    const page = await sceneService.findByEpisode({ actor: as(owner), episodeId: episode.id, limit: 2, page: 2 })
    expect(page.docs.map((scene) => scene.sceneNumber)).toEqual([3])
    await expectError(sceneService.findByEpisode({ actor: as(stranger), episodeId: episode.id }), NotFoundError)
    await expectError(sceneService.findByEpisode({ actor: as(owner), episodeId: '0123456789abcdef01234567' }), NotFoundError)
  })

  it('returns queued tasks by priority then age, only the caller’s', async () => {
    const project = await make.project(owner.id)
    const foreignProject = await make.project(stranger.id)
    const created: string[] = []
    for (const priority of [5, 9, 5, 1]) {
      const task = await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation', priority } as never })
      created.push(task.id)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    await payload.create({ collection: 'tasks', data: { project: foreignProject.id, taskType: 'image_generation', priority: 10 } as never })
    await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation', priority: 10, status: 'completed' } as never, context: seeding })

    const queue = await taskService.findByStatus({ actor: as(owner), projectId: project.id })
    expect(queue.docs.map((task) => task.id)).toEqual([created[1], created[0], created[2], created[3]])
    const everything = await taskService.findByStatus({ actor: as(owner) })
    expect(everything.docs.map((task) => task.project)).not.toContain(foreignProject.id)
    expect(everything.totalDocs).toBe(4)
    const adminView = await taskService.findByStatus({ actor: as(admin) })
    expect(adminView.docs[0].project).toBe(foreignProject.id)
    await expectError(taskService.findByStatus({ actor: as(owner), status: 'sleeping' } as never), ValidationError)
  })

  it('returns project media by type, newest first, and a bounded overview', async () => {
    const project = await make.project(owner.id)
    const [episode1, episode2] = [await make.episode(project.id, 1), await make.episode(project.id, 2)]
    await make.scene(project.id, episode1.id, 1, { production: { status: 'approved' } })
    await make.scene(project.id, episode1.id, 2)
    await make.character(project.id, { name: 'Zed' })
    const upload = async (mediaType: string) =>
      payload.create({ collection: 'media', data: { project: project.id, mediaType } as never, file: await pngFile() })
    const concept = await upload('concept_art')
    await upload('storyboard')
    await payload.create({
      collection: 'tasks',
      data: { project: project.id, taskType: 'image_generation', status: 'completed', output: { metrics: { cost: 1.25 } } } as never,
      context: seeding,
    })
    // The engine writes processingTime (a client's value is dropped), so these metrics go in through the driver.
    const engineWritten = { output: { metrics: { cost: 0.003, tokensUsed: 1200, processingTime: 2.5 } } }
    for (const episode of [episode1, episode1, episode2]) {
      const task = await payload.create({ collection: 'tasks', data: { project: project.id, episode: episode.id, taskType: 'script_generation' } as never })
      await payload.db.collections.tasks.collection.updateOne({ _id: new Types.ObjectId(task.id) }, { $set: { status: 'completed', ...engineWritten } })
    }
    await payload.create({
      collection: 'tasks',
      data: { project: project.id, taskType: 'video_generation', status: 'queued', output: { metrics: { cost: 0.5 } } } as never,
    })

    const concepts = await mediaService.findByProject({ actor: as(owner), projectId: project.id, mediaType: 'concept_art' })
    expect(concepts.docs.map((doc) => doc.id)).toEqual([concept.id])
    expect(Object.keys(concepts.docs[0])).not.toContain('embedding')
    await expectError(mediaService.findByProject({ actor: as(stranger), projectId: project.id }), NotFoundError)
    await expectError(mediaService.findByProject({ actor: as(owner), projectId: project.id, mediaType: 'hologram' } as never), ValidationError)

    const overview = await projectService.getOverview({ actor: as(owner), projectId: project.id })
    expect(overview.episodes.map((e) => [e.episodeNumber, e.sceneCount, e.completedScenes, e.progress])).toEqual([
      [1, 2, 1, 50],
      [2, 0, 0, 0],
    ])
    expect(overview.characters.map((c) => c.name)).toEqual(['Zed'])
    expect(overview.latestMedia).toHaveLength(2)
    expect(overview.openTasks.map((task) => task.taskType)).toEqual(['video_generation'])
    expect(overview.cost).toEqual({ total: 1.76, completedTasks: 4, openTasks: 1 })
    expect(overview.usage.total).toEqual({ tasks: 5, cost: 1.759, tokensUsed: 3600, processingTime: 7.5 })
    expect(overview.usage.byTaskType).toEqual([
      { taskType: 'image_generation', tasks: 1, cost: 1.25, tokensUsed: 0, processingTime: 0 },
      { taskType: 'script_generation', tasks: 3, cost: 0.009, tokensUsed: 3600, processingTime: 7.5 },
      { taskType: 'video_generation', tasks: 1, cost: 0.5, tokensUsed: 0, processingTime: 0 },
    ])
    const byEpisode = Object.fromEntries(overview.usage.byEpisode.map(({ episode, ...figures }) => [episode ?? 'none', figures]))
    expect(byEpisode).toEqual({
      [episode1.id]: { tasks: 2, cost: 0.006, tokensUsed: 2400, processingTime: 5 },
      [episode2.id]: { tasks: 1, cost: 0.003, tokensUsed: 1200, processingTime: 2.5 },
      none: { tasks: 2, cost: 1.75, tokensUsed: 0, processingTime: 0 },
    })
    await expectError(projectService.getOverview({ actor: as(stranger), projectId: project.id }), NotFoundError)
  })
})
