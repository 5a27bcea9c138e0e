import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Actor } from '../../../src/services/actor'
import type { User } from '../../../src/payload-types'

import { NotFoundError, UnauthorizedError, ValidationError } from '../../../src/errors'
import { characterService } from '../../../src/services/characterService'
import { episodeService } from '../../../src/services/episodeService'
import { promptExecutionService } from '../../../src/services/promptExecutionService'
import { promptTemplateService } from '../../../src/services/promptTemplateService'
import { sceneService } from '../../../src/services/sceneService'
import { sessionService } from '../../../src/services/sessionService'
import { taskService } from '../../../src/services/taskService'
import { userService } from '../../../src/services/userService'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/** The shared form of every service (create, findById, list, update, delete) on each collection, as the caller. */
let payload: Payload
let cleanup: () => Promise<void>
let admin: User, owner: User, stranger: User
let projectId: string
const as = (user: User | null): Actor => ({ payload, user })

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('collection_services'))
  const make = fixtures(payload)
  admin = (await make.user()) as User // the first user is an admin
  owner = (await make.user({ subscription: { tier: 'pro' } })) as User
  stranger = (await make.user()) as User
  projectId = (await make.project(owner.id)).id
})
afterAll(async () => cleanup?.())

const rejects = async (promise: Promise<unknown>, type: new (...args: never[]) => Error) => {
  await expect(promise).rejects.toBeInstanceOf(type)
}

describe('project-scoped services', () => {
  it('episodes, scenes and characters: create, read, list, update, delete as the owner; 404 for a stranger', async () => {
    const episode = await episodeService.create({ actor: as(owner), data: { project: projectId, episodeNumber: 1, title: 'Pilot' } })
    await rejects(episodeService.create({ actor: as(stranger), data: { project: projectId, episodeNumber: 2, title: 'X' } }), NotFoundError)
    await rejects(episodeService.create({ actor: as(owner), data: { project: projectId, episodeNumber: 0, title: 'X' } }), ValidationError)
    expect((await episodeService.findByProject({ actor: as(owner), projectId })).docs.map((e) => e.id)).toEqual([episode.id])
    await rejects(episodeService.findByProject({ actor: as(stranger), projectId }), NotFoundError)
    expect((await episodeService.update({ actor: as(owner), id: episode.id, data: { title: 'Renamed' } })).title).toBe('Renamed')
    await rejects(episodeService.update({ actor: as(owner), id: episode.id, data: { project: projectId } as never }), ValidationError)

    const scene = await sceneService.create({ actor: as(owner), data: { project: projectId, episode: episode.id, sceneNumber: 1, timeOfDay: 'dusk' } })
    expect((await sceneService.findById({ actor: as(owner), id: scene.id })).timeOfDay).toBe('dusk')
    await rejects(sceneService.findById({ actor: as(stranger), id: scene.id }), NotFoundError)
    await rejects(sceneService.create({ actor: as(owner), data: { project: projectId, episode: episode.id, sceneNumber: 2, timeOfDay: 'noon' } as never }), ValidationError)

    const character = await characterService.create({ actor: as(owner), data: { project: projectId, name: 'Ada', profile: { personality: ['bold'] } } })
    expect((await characterService.findByProject({ actor: as(owner), projectId })).docs.map((c) => c.name)).toEqual(['Ada'])
    expect((await characterService.update({ actor: as(owner), id: character.id, data: { name: 'Grace' } })).name).toBe('Grace')
    expect((await characterService.findById({ actor: as(owner), id: character.id })).name).toBe('Grace')
    await rejects(characterService.findById({ actor: as(stranger), id: character.id }), NotFoundError)

    expect(await sceneService.delete({ actor: as(owner), id: scene.id })).toBe(true)
    expect(await characterService.delete({ actor: as(owner), id: character.id })).toBe(true)
    await rejects(characterService.findById({ actor: as(owner), id: character.id }), NotFoundError)
    expect(await episodeService.delete({ actor: as(owner), id: episode.id })).toBe(true)
  })

  it('tasks and sessions belong to the caller’s projects', async () => {
    const task = await taskService.create({ actor: as(owner), data: { project: projectId, taskType: 'script_generation', priority: 7 } })
    expect(task.status).toBe('queued')
    await rejects(taskService.create({ actor: as(owner), data: { project: projectId, taskType: 'script_generation', priority: 11 } }), ValidationError)
    await rejects(taskService.create({ actor: as(stranger), data: { project: projectId, taskType: 'script_generation' } }), NotFoundError)
    // A task's state is the engine's: a member's status is dropped, a cancel goes through the engine.
    expect((await taskService.update({ actor: as(owner), id: task.id, data: { status: 'cancelled' } })).status).toBe('queued')
    expect((await taskService.cancel({ actor: as(owner), id: task.id })).status).toBe('cancelled')

    const session = await sessionService.create({ actor: as(owner), data: { project: projectId, currentStep: 'casting' } })
    expect(session.user).toBe(owner.id)
    expect((await sessionService.findByUser({ actor: as(owner) })).docs.map((s) => s.id)).toEqual([session.id])
    expect((await sessionService.findByUser({ actor: as(stranger) })).docs).toEqual([])
    await rejects(sessionService.create({ actor: as(owner), data: { project: projectId, sessionState: 'sleeping' } as never }), ValidationError)
  })
})

describe('prompt and user services', () => {
  it('prompt templates (admins and producers) and executions (recorded by the execution service or admins, read by members)', async () => {
    const template = await promptTemplateService.create({ actor: as(admin), data: { name: 'Logline', app: 'studio', stage: 'story', template: 'Write {{x}}', variableDefs: [{ name: 'x' }] } })
    expect((await promptTemplateService.findByStage({ actor: as(admin), app: 'studio', stage: 'story' })).docs.map((t) => t.id)).toEqual([template.id])
    await expect(promptTemplateService.create({ actor: as(owner), data: { name: 'Mine', template: 'x' } })).rejects.toMatchObject({ status: 403 })
    await rejects(promptTemplateService.create({ actor: as(admin), data: { name: 'Bad', template: 'x', model: 'gpt-9' } as never }), ValidationError)

    const execution = await promptExecutionService.create({ actor: as(admin), data: { projectId, templateId: template.id, status: 'success', model: 'fal-ai/nano-banana' } })
    expect((await promptExecutionService.findByProject({ actor: as(owner), projectId })).docs.map((e) => e.id)).toEqual([execution.id])
    expect((await promptExecutionService.findByProject({ actor: as(stranger), projectId })).docs).toEqual([])
  })

  it('users: public registration without role escalation, self-service reads', async () => {
    const registered = await userService.create({ actor: as(null), data: { email: 'new@example.test', password: 'Passw0rd!long' } })
    // Role is readable by the user and admins only; the stored role is the default.
    expect((await payload.findByID({ collection: 'users', id: registered.id })).role).toBe('user')
    await rejects(userService.create({ actor: as(null), data: { email: 'x@example.test', password: 'Passw0rd!long', role: 'admin' } as never }), ValidationError)
    await rejects(userService.create({ actor: as(null), data: { email: 'not-an-email', password: 'Passw0rd!long' } }), ValidationError)
    expect((await userService.findAll({ actor: as(owner) })).docs.map((u) => u.id)).toContain(owner.id)
    expect((await userService.findAll({ actor: as(owner) })).docs.map((u) => u.id)).not.toContain(stranger.id)
    expect((await userService.update({ actor: as(owner), id: owner.id, data: { name: 'Olive' } })).name).toBe('Olive')
    await rejects(userService.findById({ actor: as(owner), id: stranger.id }), NotFoundError)
    await rejects(userService.findAll({ actor: as(null) }), UnauthorizedError)
  })
})
