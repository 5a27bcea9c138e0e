import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../../src/payload-types'

import { createCommandMonitor } from '../../../helpers/commandMonitor'
import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * Database commands per list request, counted with the driver's command monitoring. A list that sent one query per
 * document (N+1) would send more commands for more documents; every check compares a small and a larger data set.
 */
let payload: Payload
let cleanup: () => Promise<void>
let monitor: ReturnType<typeof createCommandMonitor>
let owner: User
let token: string
const ids = { small: {} as Record<string, string>, large: {} as Record<string, string> }
const password = 'Passw0rd!secret'

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('query_count', { monitorCommands: true }))
  monitor = createCommandMonitor(payload)
  const make = fixtures(payload)
  await make.user() // the first user is an admin
  owner = (await make.user({ password, subscription: { tier: 'enterprise' } })) as User
  const friend = await make.user()
  token = (await payload.login({ collection: 'users', data: { email: owner.email, password } })).token!

  for (const [size, count] of [['small', 2], ['large', 8]] as const) {
    const project = await make.project(owner.id, { status: 'production', collaborators: [friend.id] })
    const episode = await make.episode(project.id, 1)
    const character = await make.character(project.id)
    for (let n = 1; n <= count; n++) {
      await make.project(owner.id, { status: size === 'small' ? 'concept' : 'completed', collaborators: [friend.id] })
      await make.scene(project.id, episode.id, n, { characters: [character.id] })
      await payload.create({
        collection: 'tasks',
        data: { project: project.id, episode: episode.id, taskType: 'image_generation', priority: n } as never,
      })
    }
    ids[size] = { project: project.id, episode: episode.id, status: size === 'small' ? 'concept' : 'completed' }
  }
})
afterAll(async () => {
  monitor?.stop()
  await cleanup?.()
})

type RouteModule = { GET: (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response> }

async function call(module: Promise<unknown>, path: string, params: Record<string, string> = {}) {
  const { GET } = (await module) as RouteModule
  return monitor.record(async () => {
    const response: Response = await GET(new Request(`http://localhost${path}`, { headers: { authorization: `JWT ${token}` } }), {
      params: Promise.resolve(params),
    })
    expect(response.status).toBe(200)
    return response.json()
  })
}

const endpoints = {
  projects: (size: 'small' | 'large') =>
    call(import('../../../../src/app/api/v1/projects/route'), `/api/v1/projects?status=${ids[size].status}`),
  scenes: (size: 'small' | 'large') =>
    call(import('../../../../src/app/api/v1/episodes/[id]/scenes/route'), `/api/v1/episodes/${ids[size].episode}/scenes`, {
      id: ids[size].episode,
    }),
  tasks: (size: 'small' | 'large') =>
    call(import('../../../../src/app/api/v1/tasks/route'), `/api/v1/tasks?status=queued&projectId=${ids[size].project}`),
  overview: (size: 'small' | 'large') =>
    call(import('../../../../src/app/api/v1/projects/[id]/overview/route'), `/api/v1/projects/${ids[size].project}/overview`, {
      id: ids[size].project,
    }),
}

/** Commands each endpoint sends to the collections it lists (find + count aggregate, or the overview's set). */
const listedCollections: Record<keyof typeof endpoints, Record<string, number>> = {
  projects: { projects: 2 },
  scenes: { scenes: 2 },
  tasks: { tasks: 2 },
  overview: { episodes: 1, scenes: 1, characters: 1, media: 1, tasks: 2 },
}

describe('/api/v1 list endpoints', () => {
  it.each(Object.keys(endpoints) as (keyof typeof endpoints)[])('%s sends the same commands for 2 and 8 documents', async (name) => {
    // Warm-up: the project cache and lazy connections are not what is measured.
    await endpoints[name]('small')
    await endpoints[name]('large')
    const small = await endpoints[name]('small')
    const large = await endpoints[name]('large')
    const listed = (body: { docs?: unknown[]; episodes?: unknown[] }) => body.docs?.length ?? body.episodes?.length
    expect(listed(large.result)).toBeGreaterThanOrEqual(listed(small.result) ?? 0)
    expect(large.commands.map((c) => c.name)).toEqual(small.commands.map((c) => c.name))
    // Authentication is one query; each listed collection is read once (plus its count for paginated lists).
    expect(large.commands.filter((c) => c.collection === 'users')).toHaveLength(1)
    for (const [collection, count] of Object.entries(listedCollections[name])) {
      expect(large.commands.filter((c) => c.collection === collection).length, collection).toBe(count)
    }
  })
})

describe('Local API lists as REST serves them (depth 1)', () => {
  it.each([
    ['scenes', { episode: { exists: true } }],
    ['projects', {}],
    ['tasks', {}],
  ] as const)('%s populate relationships in batches, not per document', async (collection, where) => {
    const user = await payload.findByID({ collection: 'users', id: owner.id })
    const list = (limit: number) =>
      monitor.record(() => payload.find({ collection, where, depth: 1, limit, user, overrideAccess: false }))
    await list(2)
    const small = await list(2)
    const large = await list(8)
    expect(large.result.docs.length).toBeGreaterThan(small.result.docs.length)
    expect(large.commands).toEqual(small.commands)
    // Every relationship is populated (depth 1): the batching did not skip the work.
    const related = large.result.docs.map((doc) => (doc as { project?: unknown; createdBy?: unknown }).project ?? (doc as { createdBy?: unknown }).createdBy)
    expect(related.every((value) => typeof value === 'object' && value !== null)).toBe(true)
  })
})
