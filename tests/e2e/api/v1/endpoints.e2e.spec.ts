import { readdirSync } from 'node:fs'
import { basename, dirname, join, sep } from 'node:path'

import { Validator } from '@seriousme/openapi-schema-validator'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { invitationToken } from '../../../helpers/mail'
import { root } from '../../../setup/appBuild'
import { createDoc, createProjectIn, people, type Person, testRateLimits } from './session'

/** The /api/v1 endpoints over real HTTP against the built app: status codes, bodies, pagination, error shapes. */
let app: RunningApp
let admin: Person, owner: Person, collaborator: Person, stranger: Person
let project: { id: string }, otherProject: { id: string }, episode: { id: string }
const v1 = (path: string) => `${app.url}/api/v1${path}`

const expectError = (response: { status: number; body: any }, status: number, code: string) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status)
  expect(response.body.error).toMatchObject({ status, code, message: expect.any(String) })
}

beforeAll(async () => {
  app = await startApp('api_v1', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  admin = users.admin
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  stranger = await users.person('stranger')
  project = await createProjectIn(app, owner, 'production', { title: 'Harbour Lights', genre: 'drama' })
  otherProject = await createDoc(app, owner, 'projects', { title: 'Second', genre: 'comedy', status: 'concept' })
  await createProjectIn(app, stranger, 'production', { title: 'Not yours' })
  episode = await createDoc(app, owner, 'episodes', { project: project.id, episodeNumber: 1, title: 'Pilot' })
  for (const sceneNumber of [2, 3, 1]) {
    await createDoc(app, owner, 'scenes', { project: project.id, episode: episode.id, sceneNumber, title: `S${sceneNumber}` })
  }
  // Priorities within the free tier (at most 5, docs/ACCESS.md "Task limits").
  for (const priority of [3, 5, 3]) {
    await createDoc(app, owner, 'tasks', { project: project.id, taskType: 'image_generation', priority })
  }
})
afterAll(async () => app?.stop())

describe('authentication', () => {
  it('answers 401 with a JSON error without credentials or with a bad token', async () => {
    expectError(await requestJson(v1('/projects')), 401, 'UNAUTHORIZED')
    expectError(await requestJson(v1('/projects'), { token: 'not.a.jwt' }), 401, 'UNAUTHORIZED')
  })

  it('accepts the JWT header, a Bearer token, the payload-token cookie and an API key', async () => {
    const jwt = await requestJson(v1('/projects'), { token: owner.token })
    const bearer = await requestJson(v1('/projects'), { headers: { authorization: `Bearer ${owner.token}` } })
    // The browser's cookie: accepted from the app's own origin, refused cross-site (Payload's CSRF allowlist).
    const cookie = await requestJson(v1('/projects'), { headers: { cookie: `payload-token=${owner.token}`, origin: app.url } })
    for (const response of [jwt, bearer, cookie]) expect(response.body.totalDocs, JSON.stringify(response.body)).toBe(2)
    const crossSite = await requestJson(v1('/projects'), {
      headers: { cookie: `payload-token=${owner.token}`, origin: 'https://evil.example' },
    })
    expectError(crossSite, 401, 'UNAUTHORIZED')

    const apiKey = 'k'.repeat(20) + Date.now()
    // Only admins issue API keys (docs/ACCESS.md); the key's holder acts as a worker.
    const enabled = await requestJson(`${app.url}/api/users/${owner.id}`, {
      method: 'PATCH',
      token: admin.token,
      body: { enableAPIKey: true, apiKey },
    })
    expect(enabled.status, JSON.stringify(enabled.body)).toBe(200)
    const viaKey = await requestJson(v1('/tasks'), { headers: { authorization: `users API-Key ${apiKey}` } })
    expect(viaKey.status, JSON.stringify(viaKey.body)).toBe(200)
  })
})

describe('GET /api/v1/projects', () => {
  it('lists my projects with pagination and filters', async () => {
    const all = await requestJson(v1('/projects'), { token: owner.token })
    expect(all.status).toBe(200)
    expect(all.body).toMatchObject({ page: 1, limit: 20, totalDocs: 2, totalPages: 1, hasNextPage: false, hasPrevPage: false })
    expect(all.body.docs.map((doc: { title: string }) => doc.title).sort()).toEqual(['Harbour Lights', 'Second'])

    const filtered = await requestJson(v1('/projects?status=production'), { token: owner.token })
    expect(filtered.body.docs.map((doc: { id: string }) => doc.id)).toEqual([project.id])

    const paged = await requestJson(v1('/projects?limit=1&page=2'), { token: owner.token })
    expect(paged.body).toMatchObject({ page: 2, limit: 1, totalDocs: 2, totalPages: 2, hasPrevPage: true, hasNextPage: false })
    expect(paged.body.docs).toHaveLength(1)

    const strangers = await requestJson(v1('/projects'), { token: stranger.token })
    expect(strangers.body.docs.map((doc: { title: string }) => doc.title)).toEqual(['Not yours'])
  })

  it.each([
    ['limit=-1', 'limit'],
    ['page=0', 'page'],
    ['status=sleeping', 'status'],
    ['where[status][$ne]=null', 'where[status][$ne]'],
    ['status=production&status=concept', 'status'],
  ])('rejects %s with 400 naming %s', async (query, path) => {
    const response = await requestJson(v1(`/projects?${query}`), { token: owner.token })
    expectError(response, 400, 'VALIDATION_FAILED')
    expect(response.body.error.details.issues.map((issue: { path: string }) => issue.path)).toContain(path)
  })
})

describe('project reads', () => {
  it('GET /projects/{id}: 200 for the owner, 404 for a stranger, 400 for a malformed id', async () => {
    expect((await requestJson(v1(`/projects/${project.id}`), { token: owner.token })).body.title).toBe('Harbour Lights')
    expectError(await requestJson(v1(`/projects/${project.id}`), { token: stranger.token }), 404, 'NOT_FOUND')
    expectError(await requestJson(v1('/projects/nope'), { token: owner.token }), 400, 'VALIDATION_FAILED')
    expectError(await requestJson(v1(`/projects/${project.id}?x=1`), { token: owner.token }), 400, 'VALIDATION_FAILED')
  })

  it('GET /episodes/{id}/scenes returns scenes in scene order, paginated', async () => {
    const scenes = await requestJson(v1(`/episodes/${episode.id}/scenes`), { token: owner.token })
    expect(scenes.status).toBe(200)
    expect(scenes.body.docs.map((scene: { sceneNumber: number }) => scene.sceneNumber)).toEqual([1, 2, 3])
    const second = await requestJson(v1(`/episodes/${episode.id}/scenes?limit=2&page=2`), { token: owner.token })
    expect(second.body.docs.map((scene: { sceneNumber: number }) => scene.sceneNumber)).toEqual([3])
    expectError(await requestJson(v1(`/episodes/${episode.id}/scenes`), { token: stranger.token }), 404, 'NOT_FOUND')
    expectError(await requestJson(v1(`/episodes/${episode.id}/scenes?status=done`), { token: owner.token }), 400, 'VALIDATION_FAILED')
  })

  it('POST /episodes/{id}/scenes/order numbers the scenes in the given order; a wrong list is a 400 on sceneIds', async () => {
    const reordered = await createDoc(app, owner, 'episodes', { project: otherProject.id, title: 'Re-ordered' })
    const ids: string[] = []
    for (const title of ['A', 'B', 'C']) ids.push((await createDoc(app, owner, 'scenes', { episode: reordered.id, title })).id)
    const order = (sceneIds: unknown, token = owner.token) =>
      requestJson(v1(`/episodes/${reordered.id}/scenes/order`), { method: 'POST', token, body: { sceneIds } })

    const moved = await order([ids[2], ids[0], ids[1]])
    expect(moved.status, JSON.stringify(moved.body)).toBe(200)
    expect(moved.body).toEqual({ episode: reordered.id, scenes: [{ id: ids[2], sceneNumber: 1 }, { id: ids[0], sceneNumber: 2 }, { id: ids[1], sceneNumber: 3 }] })
    const listed = await requestJson(v1(`/episodes/${reordered.id}/scenes`), { token: owner.token })
    expect(listed.body.docs.map((scene: { title: string }) => scene.title)).toEqual(['C', 'A', 'B'])
    const audit = await requestJson(v1(`/audit-log?collectionSlug=scenes&documentId=${ids[2]}`), { token: admin.token })
    expect(audit.body.docs[0]).toMatchObject({ operation: 'update', changedFields: ['sceneNumber'] })

    const missing = await order([ids[0], ids[1]])
    expectError(missing, 400, 'VALIDATION_FAILED')
    expect(missing.body.error.details.issues.map((issue: { path: string }) => issue.path)).toEqual(['sceneIds'])
    expectError(await order([ids[2], ids[0], ids[1]], stranger.token), 404, 'NOT_FOUND')
    expect((await requestJson(v1(`/episodes/${reordered.id}/scenes`), { token: owner.token })).body.docs.map((scene: { title: string }) => scene.title)).toEqual(['C', 'A', 'B'])
  })

  it('GET /tasks?status=queued returns the queue by priority, then oldest first', async () => {
    const queue = await requestJson(v1('/tasks?status=queued'), { token: owner.token })
    expect(queue.status).toBe(200)
    expect(queue.body.docs.map((task: { priority: number }) => task.priority)).toEqual([5, 3, 3])
    const [, first, second] = queue.body.docs as { createdAt: string }[]
    expect(first.createdAt < second.createdAt).toBe(true)
    expect((await requestJson(v1('/tasks'), { token: stranger.token })).body.totalDocs).toBe(0)
  })

  it('GET /projects/{id}/media filters by media type', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#336699' } }).png().toBuffer()
    const upload = async (mediaType: string) => {
      const form = new FormData()
      form.append('_payload', JSON.stringify({ project: project.id, mediaType }))
      form.append('file', new Blob([new Uint8Array(png)], { type: 'image/png' }), `${mediaType}.png`)
      const response = await fetch(`${app.url}/api/media`, { method: 'POST', body: form, headers: { authorization: `JWT ${owner.token}` } })
      expect(response.status).toBe(201)
      return ((await response.json()) as { doc: { id: string } }).doc
    }
    const concept = await upload('concept_art')
    const storyboard = await upload('storyboard')
    const concepts = await requestJson(v1(`/projects/${project.id}/media?mediaType=concept_art`), { token: owner.token })
    expect(concepts.body.docs.map((doc: { id: string }) => doc.id)).toEqual([concept.id])
    const everything = await requestJson(v1(`/projects/${project.id}/media`), { token: owner.token })
    expect(everything.body.docs.map((doc: { id: string }) => doc.id)).toEqual([storyboard.id, concept.id])
    expectError(await requestJson(v1(`/projects/${project.id}/media?mediaType=hologram`), { token: owner.token }), 400, 'VALIDATION_FAILED')
    expectError(await requestJson(v1(`/projects/${project.id}/media`), { token: stranger.token }), 404, 'NOT_FOUND')
    for (const doc of [concept, storyboard]) {
      await requestJson(`${app.url}/api/media/${doc.id}`, { method: 'DELETE', token: owner.token })
    }
  })

  it('GET /projects/{id}/overview summarises the project', async () => {
    const overview = await requestJson(v1(`/projects/${project.id}/overview`), { token: owner.token })
    expect(overview.status).toBe(200)
    expect(overview.body.project.id).toBe(project.id)
    expect(overview.body.episodes).toEqual([expect.objectContaining({ episodeNumber: 1, sceneCount: 3, completedScenes: 0, progress: 0 })])
    expect(overview.body.openTasks.map((task: { priority: number }) => task.priority)).toEqual([5, 3, 3])
    expect(overview.body.cost).toEqual({ total: 0, completedTasks: 0, openTasks: 3 })
    expectError(await requestJson(v1(`/projects/${project.id}/overview`), { token: stranger.token }), 404, 'NOT_FOUND')
  })
})

describe('collaborators', () => {
  const collaborators = (projectId: string, method: 'POST' | 'DELETE', token: string, body: unknown) =>
    requestJson(v1(`/projects/${projectId}/collaborators`), { method, token, body })

  it('lets the owner invite a collaborator by email, who accepts, sees the project and names, and is then removed', async () => {
    // Owners no longer add anyone by id (issue 9): they invite by email, the invitee accepts.
    expectError(await collaborators(project.id, 'POST', owner.token, { userId: collaborator.id }), 403, 'FORBIDDEN')
    const invite = (token: string, email: string) => requestJson(v1(`/projects/${project.id}/invitations`), { method: 'POST', token, body: { email } })
    const invited = await invite(owner.token, collaborator.email)
    const unknown = await invite(owner.token, 'no-account-here@example.test')
    expect([invited.status, unknown.status]).toEqual([202, 202])
    expect(Object.keys(invited.body).sort()).toEqual(Object.keys(unknown.body).sort())
    expectError(await invite(stranger.token, 'x@example.test'), 404, 'NOT_FOUND')
    expectError(await requestJson(v1(`/projects/${project.id}`), { token: collaborator.token }), 404, 'NOT_FOUND')

    const pending = await requestJson(v1('/invitations'), { token: collaborator.token })
    expect(pending.status).toBe(200)
    const invitation = pending.body.docs.find((doc: { project: { id: string } }) => doc.project.id === project.id)
    expect(invitation).toMatchObject({ kind: 'collaborator', project: { title: 'Harbour Lights' } })
    const mailed = { token: invitationToken(invitation.id, app.outboxDir) }
    expectError(await requestJson(v1(`/invitations/${invitation.id}/accept`), { method: 'POST', token: stranger.token, body: mailed }), 404, 'NOT_FOUND')
    expect((await requestJson(v1(`/invitations/${invitation.id}/accept`), { method: 'POST', token: collaborator.token, body: mailed })).status).toBe(200)
    expect((await requestJson(v1(`/projects/${project.id}`), { token: collaborator.token })).status).toBe(200)
    expect((await requestJson(v1('/projects'), { token: collaborator.token })).body.totalDocs).toBe(1)
    const members = await requestJson(v1(`/projects/${project.id}/collaborators`), { token: collaborator.token })
    expect(members.body.members).toEqual([
      { id: owner.id, name: 'owner', role: 'owner' },
      { id: collaborator.id, name: 'collaborator', role: 'collaborator' },
    ])
    expect(JSON.stringify(members.body)).not.toContain(owner.email)

    expectError(await collaborators(project.id, 'POST', collaborator.token, { userId: stranger.id }), 403, 'FORBIDDEN')
    expectError(await collaborators(project.id, 'POST', stranger.token, { userId: stranger.id }), 404, 'NOT_FOUND')

    const removed = await collaborators(project.id, 'DELETE', owner.token, { userId: collaborator.id })
    expect(removed.status).toBe(200)
    expect(removed.body.collaborators).toEqual([])
    expectError(await requestJson(v1(`/projects/${project.id}`), { token: collaborator.token }), 404, 'NOT_FOUND')
    expectError(await collaborators(project.id, 'DELETE', owner.token, { userId: collaborator.id }), 404, 'NOT_FOUND')
  })

  it('lets an admin manage any project', async () => {
    const added = await collaborators(otherProject.id, 'POST', admin.token, { userId: stranger.id })
    expect(added.status).toBe(201)
    expect((await collaborators(otherProject.id, 'DELETE', admin.token, { userId: stranger.id })).status).toBe(200)
  })

  it.each([
    ['a missing userId', {}],
    ['a malformed userId', { userId: 'x' }],
    ['an operator', { userId: { $ne: null } }],
    ['an extra field', { userId: '0123456789abcdef01234567', role: 'admin' }],
    ['an array body', [1, 2]],
    ['malformed JSON', '{"userId": '],
  ])('rejects %s with 400', async (_, body) => {
    expectError(await collaborators(project.id, 'POST', owner.token, body), 400, 'VALIDATION_FAILED')
  })
})

describe('Payload REST and GraphQL keep the same rules', () => {
  it('lists only what the caller may see, with capped page sizes', async () => {
    const graphql = (token: string) =>
      requestJson(`${app.url}/api/graphql`, { method: 'POST', token, body: { query: '{ Projects(limit: 1000) { docs { id title } limit } }' } })
    const ownersView = await graphql(owner.token)
    expect(ownersView.status, JSON.stringify(ownersView.body)).toBe(200)
    expect(ownersView.body.data.Projects.docs.map((doc: { id: string }) => doc.id).sort()).toEqual([project.id, otherProject.id].sort())
    expect(ownersView.body.data.Projects.limit).toBeLessThanOrEqual(100)
    const strangersView = await graphql(stranger.token)
    expect(strangersView.body.data.Projects.docs.map((doc: { title: string }) => doc.title)).toEqual(['Not yours'])

    // The same page-size rule on /api/v1 as on REST and GraphQL: above 100, one page of 100.
    expect((await requestJson(v1('/projects?limit=1000'), { token: owner.token })).body.limit).toBe(100)
    const rest = await requestJson(`${app.url}/api/scenes?limit=100000&depth=10`, { token: stranger.token })
    expect(rest.status).toBe(200)
    expect(rest.body.totalDocs).toBe(0)
    expect(rest.body.limit).toBeLessThanOrEqual(100)
    const badSort = await requestJson(`${app.url}/api/projects?sort=$natural`, { token: owner.token })
    expect(badSort.status).toBe(400)
  })
})

describe('OpenAPI', () => {
  it('serves a valid OpenAPI 3.1 document describing every endpoint', async () => {
    const response = await requestJson(v1('/openapi.json'))
    expect(response.status).toBe(200)
    expect(response.body.openapi).toBe('3.1.0')
    const result = await new Validator().validate(response.body)
    expect(result.errors ?? []).toEqual([])
    expect(result.valid).toBe(true)
    // Every route file under src/app/api/v1 is a documented path, and nothing else is (the list grows with the
    // branches: tasks, invitations, sessions, prompt templates, search), the document itself included (it has its
    // contract too), except the catch-all.
    const v1Dir = join(root, 'src/app/api/v1')
    const routes = readdirSync(v1Dir, { recursive: true, encoding: 'utf8' })
      .filter((file) => basename(file) === 'route.ts')
      .map((file) => `/api/v1/${dirname(file).split(sep).join('/')}`.replace(/\[(\w+)\]/g, '{$1}'))
      .filter((route) => !route.includes('[...'))
    expect(routes).toContain('/api/v1/sessions/{id}/choices/{choiceId}')
    expect(routes).toContain('/api/v1/openapi.json')
    expect(Object.keys(response.body.paths).sort()).toEqual(routes.sort())
    // Generated from the zod schemas: the enum values and page-size cap are the services' own.
    const statusParam = response.body.paths['/api/v1/projects'].get.parameters.find((p: { name: string }) => p.name === 'status')
    expect(statusParam.schema.enum).toContain('post-production')
    const limitParam = response.body.paths['/api/v1/tasks'].get.parameters.find((p: { name: string }) => p.name === 'limit')
    expect(limitParam.schema.description).toMatch(/above 100 .*one page of 100/)
  })
})
