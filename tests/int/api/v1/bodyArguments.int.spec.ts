import type { Payload } from 'payload'

import { readdirSync, statSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../../src/payload-types'

import { fixtures } from '../../../helpers/fixtures'
import { createTestPayload } from '../../../helpers/payload'

/**
 * Issue 19 item 11, as a class: every method of every /api/v1 route file (found on disk, so a new route is walked
 * too), called in-process as a signed-in owner with the server-owned arguments smuggled in — `actor` and `id` (a
 * foreign project's id) in the JSON body and in the query string. None may answer 5xx, none may act on the foreign
 * document, and a route that reads its body or query refuses the smuggled key with a 400 naming it.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const
const root = path.resolve(import.meta.dirname, '../../../../src/app/api/v1')

function routeFiles(dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name)
    if (statSync(full).isDirectory()) return routeFiles(full)
    return name === 'route.ts' ? [full] : []
  })
}

let payload: Payload
let cleanup: () => Promise<void>
let token: string
const ids: Record<string, string> = {}
let foreignUpdatedAt: string

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('body_arguments'))
  const make = fixtures(payload)
  const password = 'Passw0rd!secret'
  const owner = (await make.user({ password })) as User
  const stranger = (await make.user({ password })) as User
  token = (await payload.login({ collection: 'users', data: { email: owner.email, password } })).token!
  const project = await make.project(owner.id, { status: 'production' })
  const foreign = await make.project(stranger.id)
  const episode = await make.episode(project.id, 1)
  const task = await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation' } as never })
  const session = await payload.create({ collection: 'sessions', data: { project: project.id, user: owner.id } as never })
  const template = await payload.create({ collection: 'prompt-templates', data: { name: 'T', template: 'Hello {{x}}', variableDefs: [{ name: 'x' }] } as never })
  Object.assign(ids, {
    projects: String(project.id),
    episodes: String(episode.id),
    tasks: String(task.id),
    sessions: String(session.id),
    'prompt-templates': String(template.id),
    invitations: '0123456789abcdef01234567',
    foreign: String(foreign.id),
  })
  foreignUpdatedAt = foreign.updatedAt
}, 240_000)
afterAll(async () => cleanup?.())

/** Path parameters for a route file: `[id]` is a real document of the collection the path names; others are fixed. */
function paramsFor(file: string): Record<string, unknown> {
  const segments = path.relative(root, path.dirname(file)).split(path.sep)
  const params: Record<string, unknown> = {}
  segments.forEach((segment, index) => {
    if (segment === '[id]') params.id = ids[segments[index - 1]!] ?? ids.projects
    else if (segment === '[...path]') params.path = ['nowhere']
    else if (segment.startsWith('[')) params[segment.slice(1, -1)] = '0123456789abcdef01234568'
  })
  return params
}

describe('every /api/v1 route', () => {
  const files = routeFiles()

  it('finds the route files', () => {
    expect(files.length).toBeGreaterThan(30)
  })

  it('never lets a body or query `actor`/`id` reach a service: no 5xx, no write elsewhere, a 400 naming the key', async () => {
    const outcomes: string[] = []
    for (const file of files) {
      const route = (await import(file)) as Partial<Record<(typeof METHODS)[number], Handler>>
      for (const method of METHODS) {
        const handler = route[method]
        if (!handler) continue
        const smuggled = { actor: { user: { id: ids.foreign, role: 'admin' } }, id: ids.foreign }
        const query = new URLSearchParams({ actor: 'admin', id: ids.foreign }).toString()
        const isGet = method === 'GET'
        const response = await handler(
          new Request(`http://localhost/api/v1/walk?${isGet ? query : ''}`, {
            method,
            headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' },
            body: isGet ? undefined : JSON.stringify(smuggled),
          }),
          { params: Promise.resolve(paramsFor(file)) },
        )
        const text = await response.text()
        const label = `${method} ${path.relative(root, file)} → ${response.status} ${text.slice(0, 200)}`
        outcomes.push(label)
        expect(response.status, label).toBeLessThan(500)
        // The only answers that take no input at all: the OpenAPI document and the event stream's own 400.
        if (response.status < 300) expect(label).toMatch(/openapi\.json/)
        if (response.status === 400) expect(text, label).toMatch(/actor|"id"|Unrecognized/)
      }
    }
    const foreign = await payload.findByID({ collection: 'projects', id: ids.foreign, depth: 0 })
    expect(foreign.updatedAt).toBe(foreignUpdatedAt)
    expect(outcomes.length).toBeGreaterThan(100)
  }, 600_000)
})
