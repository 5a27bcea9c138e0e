import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { IMPORT_STATUS_CONTEXT } from '../../../src/access/mayChooseCreationStatus'
import { episodeStatuses, projectStatuses, sceneProductionStatuses, sessionStates, taskStatuses } from '../../../src/model/options'
import {
  episodeStatusMachine,
  isAllowedTransition,
  projectStatusMachine,
  sceneProductionMachine,
  sessionStateMachine,
  taskStatusMachine,
} from '../../../src/domain/statusMachines'
import { expectConflict } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { loose } from '../../helpers/loose'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let userId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('status-machines'))
  f = fixtures(payload)
  userId = (await f.user()).id
})
afterAll(async () => cleanup?.())

describe('the machines', () => {
  it('cover every status of their enum', () => {
    expect(Object.keys(sceneProductionMachine.transitions).sort()).toEqual([...sceneProductionStatuses].sort())
    expect(Object.keys(episodeStatusMachine.transitions).sort()).toEqual([...episodeStatuses].sort())
    expect(Object.keys(projectStatusMachine.transitions).sort()).toEqual([...projectStatuses].sort())
    expect(Object.keys(taskStatusMachine.transitions).sort()).toEqual([...taskStatuses].sort())
    expect(Object.keys(sessionStateMachine.transitions).sort()).toEqual([...sessionStates].sort())
  })
})

/**
 * Status at creation (issue 9 item 14), through the Local API as services call it. Every collection with a state
 * machine: a person starts a document only in the initial status; an admin, and server code that says it imports
 * (req.context flag), may start it anywhere; server code without the flag may not either. REST and GraphQL:
 * tests/e2e/access/creationStatus.e2e.spec.ts.
 */
describe('status at creation', () => {
  const person = (user: any) => ({ user: { ...user, collection: 'users', _strategy: 'local-jwt' }, overrideAccess: false })
  let owner: any, admin: any, projectId: string, episodeId: string
  beforeAll(async () => {
    owner = await f.user()
    admin = await f.user({ role: 'admin' })
    projectId = String((await f.project(owner.id)).id)
    episodeId = String((await f.episode(projectId, 1)).id)
  })
  let sceneNumber = 10
  const cases = [
    { slug: 'projects', field: 'status', late: 'production', initial: 'concept', data: () => ({ title: 'Late', episodeCount: 3, genre: 'drama' }) },
    { slug: 'episodes', field: 'status', late: 'completed', initial: 'planning', data: () => ({ project: projectId, title: 'Late' }) },
    {
      slug: 'scenes',
      field: 'production.status',
      late: 'approved',
      initial: 'pending',
      data: () => ({ project: projectId, episode: episodeId, sceneNumber: sceneNumber++, title: 'Late' }),
    },
    { slug: 'tasks', field: 'status', late: 'completed', initial: 'queued', data: () => ({ project: projectId, taskType: 'image_generation' }) },
    { slug: 'sessions', field: 'sessionState', late: 'completed', initial: 'active', data: () => ({ project: projectId, currentStep: 'start' }) },
  ] as const
  const withStatus = (c: (typeof cases)[number], status: string) =>
    c.field === 'production.status' ? { ...c.data(), production: { status } } : { ...c.data(), [c.field]: status }
  const statusOf = (c: (typeof cases)[number], doc: any) => (c.field === 'production.status' ? doc.production?.status : doc[c.field])

  it.each(cases)('$slug: a person is refused a late $field (409 naming it) and nothing is stored', async (c) => {
    const before = (await payload.count({ collection: c.slug as never })).totalDocs
    const error = await expectConflict(loose(payload).create({ collection: c.slug, data: withStatus(c, c.late), ...person(owner) }))
    expect(error.message).toContain(c.field)
    expect((error as any).data).toMatchObject({ field: c.field, to: c.late, allowed: [c.initial] })
    expect((await payload.count({ collection: c.slug as never })).totalDocs).toBe(before)
    // The initial status, given or left to the default, is fine.
    expect(statusOf(c, await loose(payload).create({ collection: c.slug, data: withStatus(c, c.initial), ...person(owner) }))).toBe(c.initial)
    expect(statusOf(c, await loose(payload).create({ collection: c.slug, data: c.data(), ...person(owner) }))).toBe(c.initial)
  })

  it.each(cases)('$slug: an admin and a flagged import create it in a late status; unflagged server code is refused', async (c) => {
    expect(statusOf(c, await loose(payload).create({ collection: c.slug, data: withStatus(c, c.late), ...person(admin) }))).toBe(c.late)
    // Server code names the owner a person's request would have given.
    const system = { ...withStatus(c, c.late), ...(c.slug === 'projects' ? { createdBy: owner.id } : c.slug === 'sessions' ? { user: owner.id } : {}) }
    const imported = await loose(payload).create({ collection: c.slug, data: system, context: { [IMPORT_STATUS_CONTEXT]: true } })
    expect(statusOf(c, imported)).toBe(c.late)
    await expectConflict(loose(payload).create({ collection: c.slug, data: system }))
  })
})

describe('scene production status', () => {
  it('walks pending → generating → reviewing → approved, counting the attempt', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scene = await f.scene(project.id, episode.id, 1)
    expect(scene.production?.status).toBe('pending')
    let current = scene
    for (const status of ['generating', 'reviewing', 'approved'] as const) {
      current = await payload.update({ collection: 'scenes', id: scene.id, data: { production: { status } } })
      expect(current.production?.status).toBe(status)
    }
    expect(current.production?.attempts).toBe(1)
    expect(current.production?.lastAttempt).toBeTruthy()
  })

  it('retries a failed scene through pending, and a second generation counts a second attempt', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scene = await f.scene(project.id, episode.id, 1)
    for (const status of ['generating', 'failed', 'pending', 'generating'] as const) {
      await payload.update({ collection: 'scenes', id: scene.id, data: { production: { status } } })
    }
    const stored = await payload.findByID({ collection: 'scenes', id: scene.id })
    expect(stored.production).toMatchObject({ status: 'generating', attempts: 2 })
    // attempts is the system's: a value sent for it is ignored
    const tampered = await payload.update({ collection: 'scenes', id: scene.id, data: { production: { attempts: 40 } } })
    expect(tampered.production?.attempts).toBe(2)
  })

  it('answers 409 on a jump and stores nothing', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scene = await f.scene(project.id, episode.id, 1)
    const error = await expectConflict(
      payload.update({ collection: 'scenes', id: scene.id, data: { title: 'renamed', production: { status: 'approved' } } }),
    )
    expect(error.message).toMatch(/pending → approved/)
    const stored = await payload.findByID({ collection: 'scenes', id: scene.id })
    expect(stored.production?.status).toBe('pending')
    expect(stored.title).toBe('Scene 1')
    // failed cannot go straight back to generating, approved is final
    await payload.update({ collection: 'scenes', id: scene.id, data: { production: { status: 'generating' } } })
    await payload.update({ collection: 'scenes', id: scene.id, data: { production: { status: 'failed' } } })
    await expectConflict(payload.update({ collection: 'scenes', id: scene.id, data: { production: { status: 'generating' } } }))
    expect(isAllowedTransition({ machine: sceneProductionMachine, from: 'approved', to: 'pending' })).toBe(false)
  })
})

describe('episode status', () => {
  it('moves one stage forward or back, and answers 409 on a skipped stage', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    await payload.update({ collection: 'episodes', id: episode.id, data: { status: 'scripting' } })
    await payload.update({ collection: 'episodes', id: episode.id, data: { status: 'planning' } })
    await payload.update({ collection: 'episodes', id: episode.id, data: { status: 'scripting' } })
    await expectConflict(payload.update({ collection: 'episodes', id: episode.id, data: { status: 'production' } }))
    await expectConflict(payload.update({ collection: 'episodes', id: episode.id, data: { status: 'completed' } }))
    expect((await payload.findByID({ collection: 'episodes', id: episode.id })).status).toBe('scripting')
  })
})

describe('project status', () => {
  it('goes on hold and resumes, and answers 409 on a jump', async () => {
    const project = await f.project(userId)
    await payload.update({ collection: 'projects', id: project.id, data: { status: 'pre-production' } })
    await payload.update({ collection: 'projects', id: project.id, data: { status: 'on-hold' } })
    await payload.update({ collection: 'projects', id: project.id, data: { status: 'production' } })
    await expectConflict(payload.update({ collection: 'projects', id: project.id, data: { status: 'completed' } }))
    await expectConflict(payload.update({ collection: 'projects', id: project.id, data: { status: 'concept' } }))
    expect((await payload.findByID({ collection: 'projects', id: project.id })).status).toBe('production')
  })
})
