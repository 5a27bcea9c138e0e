import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { episodeStatuses, projectStatuses, sceneProductionStatuses } from '../../../src/collections/options'
import {
  episodeStatusMachine,
  isAllowedTransition,
  projectStatusMachine,
  sceneProductionMachine,
} from '../../../src/domain/statusMachines'
import { expectConflict } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
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
