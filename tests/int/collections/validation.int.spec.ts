import type { Payload } from 'payload'

import { ValidationError } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

let payload: Payload
let cleanup: () => Promise<void>
let userId: string
let projectId: string
let episodeId: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('validation'))
  const make = fixtures(payload)
  userId = (await make.user()).id
  projectId = (await make.project(userId)).id
  episodeId = (await make.episode(projectId, 1)).id
})
afterAll(async () => cleanup?.())

/** Runs a write that must fail validation and returns the field paths the error names. */
async function failedPaths(write: () => Promise<unknown>): Promise<string[]> {
  const error = await write().then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(error, 'the write should have been rejected').toBeInstanceOf(ValidationError)
  return (error as ValidationError).data.errors.map((e) => e.path)
}

describe('field validation names the field', () => {
  it.each([
    ['projects', { title: 'x', genre: 'western' }, 'genre'],
    ['projects', { title: 'x', episodeCount: 51 }, 'episodeCount'],
    ['projects', { title: 'x', episodeCount: 0 }, 'episodeCount'],
    ['projects', { title: 'x', projectSettings: { aspectRatio: '1:1' } }, 'projectSettings.aspectRatio'],
    ['projects', { genre: 'drama' }, 'title'],
    ['tasks', { taskType: 'image_generation', priority: 11 }, 'priority'],
    ['tasks', { taskType: 'image_generation', priority: 0 }, 'priority'],
    ['tasks', { taskType: 'teleport' }, 'taskType'],
    ['tasks', { taskType: 'image_generation', progress: { percentage: -1 } }, 'progress.percentage'],
    ['scenes', { sceneNumber: 1, timeOfDay: 'noon' }, 'timeOfDay'],
    ['episodes', { episodeNumber: 1, title: 'x', status: 'released' }, 'status'],
    ['prompt-templates', { name: 'x', template: 'y', model: 'gpt-2' }, 'model'],
    ['prompts-executed', { status: 'maybe' }, 'status'],
  ] as const)('%s %j → %s', async (collection, data, path) => {
    const base: Record<string, unknown> = { project: projectId, episode: episodeId, createdBy: userId }
    const paths = await failedPaths(() => payload.create({ collection, data: { ...base, ...data } as never }))
    expect(paths).toContain(path)
  })

  it('rejects an embedding that is neither 512 nor 1024 numbers', async () => {
    const { pngFile } = await import('../../helpers/files')
    const paths = await failedPaths(async () =>
      payload.create({
        collection: 'media',
        data: { project: projectId, mediaType: 'concept_art', embedding: [0.1, 0.2, 0.3] } as never,
        file: await pngFile(8, 8),
      }),
    )
    expect(paths).toContain('embedding')
  })
})

describe('fields that always have a value', () => {
  it('may be left out: the default or a hook fills them in', async () => {
    const project = await payload.create({ collection: 'projects', data: { title: 'Defaults' } as never, user: { id: userId, collection: 'users' } as never })
    expect(project.status).toBe('concept')
    expect(project.episodeCount).toBe(1)
    const episode = await payload.create({ collection: 'episodes', data: { project: project.id, title: 'Next' } as never })
    expect(episode.episodeNumber).toBe(1)
    expect(episode.status).toBe('planning')
  })

  it.each([
    ['projects', { title: 'x', status: null }, 'status'],
    ['projects', { title: 'x', episodeCount: null }, 'episodeCount'],
    ['tasks', { taskType: 'image_generation', priority: null }, 'priority'],
    ['users', { email: 'null-role@example.test', password: 'Passw0rd!z', role: null }, 'role'],
  ] as const)('refuse an explicit empty value: %s %j', async (collection, data, path) => {
    const base: Record<string, unknown> = { project: projectId, createdBy: userId }
    const paths = await failedPaths(() => payload.create({ collection, data: { ...base, ...data } as never }))
    expect(paths).toContain(path)
  })
})

describe('unique keys', () => {
  it('refuses a second episode with the same number in a project and stores nothing', async () => {
    const error = await payload
      .create({ collection: 'episodes', data: { project: projectId, episodeNumber: 1, title: 'Duplicate' } as never })
      .then(
        () => undefined,
        (err: unknown) => err,
      )
    expect(error).toBeInstanceOf(ValidationError)
    const count = await payload.count({ collection: 'episodes', where: { project: { equals: projectId } } })
    expect(count.totalDocs).toBe(1)
  })

  it('refuses a second scene with the same number in an episode', async () => {
    await payload.create({ collection: 'scenes', data: { project: projectId, episode: episodeId, sceneNumber: 1 } as never })
    await expect(
      payload.create({ collection: 'scenes', data: { project: projectId, episode: episodeId, sceneNumber: 1 } as never }),
    ).rejects.toBeInstanceOf(ValidationError)
    const count = await payload.count({ collection: 'scenes', where: { episode: { equals: episodeId } } })
    expect(count.totalDocs).toBe(1)
  })

  it('refuses a second user with the same email', async () => {
    await payload.create({ collection: 'users', data: { email: 'twin@example.test', password: 'Passw0rd!x' } as never })
    await expect(
      payload.create({ collection: 'users', data: { email: 'twin@example.test', password: 'Passw0rd!y' } as never }),
    ).rejects.toBeInstanceOf(ValidationError)
  })
})

describe('select fields take only option strings (a number stored as "5" would break every later save)', () => {
  /** Every select field of every collection, with its dotted path, from the sanitized config. */
  const selectFields = () =>
    payload.config.collections.flatMap((collection) => {
      const found: { slug: string; path: string; field: { hasMany?: boolean; validate?: (value: unknown, options: unknown) => unknown } }[] = []
      const walk = (fields: { type: string; name?: string; fields?: unknown[]; hasMany?: boolean }[], prefix: string) => {
        for (const field of fields) {
          const path = field.name ? `${prefix}${field.name}` : prefix.replace(/\.$/, '')
          if (field.type === 'select') found.push({ slug: collection.slug, path, field: field as never })
          if (Array.isArray(field.fields)) walk(field.fields as never, field.name ? `${path}.` : prefix)
        }
      }
      walk(collection.flattenedFields as never, '')
      return found
    })

  it('covers the selects of every collection that has one', () => {
    const slugs = new Set(selectFields().map(({ slug }) => slug))
    for (const slug of ['projects', 'episodes', 'scenes', 'media', 'tasks', 'prompt-templates', 'prompts-executed', 'sessions', 'users']) {
      expect(slugs, slug).toContain(slug)
    }
  })

  it.each([5, true, { value: 'concept' }, 0])('refuses %j on every select field before its options are checked', async (value) => {
    for (const { slug, path, field } of selectFields()) {
      const message = await field.validate!(field.hasMany ? [value] : value, { req: payload, data: {}, siblingData: {} })
      expect(message, `${slug}.${path}`).toEqual(expect.stringMatching(/option value/))
    }
  })

  it('refuses wrong-shaped values with a 4xx naming the field, stores nothing, and the document stays editable', async () => {
    const project = await fixtures(payload).project(userId, { genre: 'drama' })
    for (const value of [5, true, ['drama'], { equals: 'drama' }]) {
      const paths = await failedPaths(() => payload.update({ collection: 'projects', id: project.id, data: { genre: value } as never }))
      expect(paths).toEqual(['genre'])
      // A status has a state machine too, which may answer first (409): either way a client error, nothing stored.
      const refused = await payload.update({ collection: 'projects', id: project.id, data: { status: value } as never }).catch((error: unknown) => error)
      expect((refused as { status?: number }).status, String(refused)).toBeGreaterThanOrEqual(400)
      expect((refused as { status: number }).status).toBeLessThan(500)
    }
    expect(await payload.findByID({ collection: 'projects', id: project.id })).toMatchObject({ status: 'concept', genre: 'drama' })
    await expect(payload.update({ collection: 'projects', id: project.id, data: { title: 'Still editable' } })).resolves.toMatchObject({
      title: 'Still editable',
      status: 'concept',
    })
  })
})
