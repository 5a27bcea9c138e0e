import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { expectConflict } from '../../helpers/errors'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let f: ReturnType<typeof fixtures>
let userId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('deletion-policy'))
  f = fixtures(payload)
  userId = (await f.user()).id
})
afterAll(async () => cleanup?.())

const exists = async (collection: 'projects' | 'episodes' | 'scenes' | 'characters', id: string) =>
  Boolean(await payload.findByID({ collection, id, disableErrors: true }))

describe('deleting a project or an episode that still has children', () => {
  it('is refused with 409 naming what is left, and deletes nothing', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scene = await f.scene(project.id, episode.id, 1)
    const character = await f.character(project.id)

    const projectError = await expectConflict(payload.delete({ collection: 'projects', id: project.id }))
    expect(projectError.message).toMatch(/1 episodes, 1 scenes, 1 characters/)
    const episodeError = await expectConflict(payload.delete({ collection: 'episodes', id: episode.id }))
    expect(episodeError.message).toMatch(/1 scenes/)
    for (const [collection, id] of [
      ['projects', project.id],
      ['episodes', episode.id],
      ['scenes', scene.id],
      ['characters', character.id],
    ] as const) {
      expect(await exists(collection, id), `${collection} ${id}`).toBe(true)
    }
  })

  it('goes through once the children are gone, bottom-up', async () => {
    const project = await f.project(userId)
    const episode = await f.episode(project.id, 1)
    const scene = await f.scene(project.id, episode.id, 1)
    const character = await f.character(project.id)
    await payload.delete({ collection: 'scenes', id: scene.id })
    await payload.delete({ collection: 'episodes', id: episode.id })
    await expectConflict(payload.delete({ collection: 'projects', id: project.id })) // the character is still there
    await payload.delete({ collection: 'characters', id: character.id })
    await payload.delete({ collection: 'projects', id: project.id })
    expect(await exists('projects', project.id)).toBe(false)
  })

  it('a bulk delete skips the projects that still have children and reports them', async () => {
    const empty = await f.project(userId, { title: 'bulk-empty' })
    const busy = await f.project(userId, { title: 'bulk-busy' })
    await f.episode(busy.id, 1)
    const result = await payload.delete({ collection: 'projects', where: { title: { like: 'bulk-' } } })
    expect(result.docs.map((doc) => doc.id)).toEqual([empty.id])
    expect(result.errors.map((error) => error.id)).toEqual([busy.id])
    expect(await exists('projects', busy.id)).toBe(true)
  })
})
