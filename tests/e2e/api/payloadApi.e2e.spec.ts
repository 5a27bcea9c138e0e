import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { requestJson } from '../../helpers/http'

/** The app over real HTTP: registration, login, REST and GraphQL, and clean 4xx errors for bad requests. */
let app: RunningApp
let token: string
const admin = { email: 'first@example.test', password: 'First-passw0rd!' }

beforeAll(async () => {
  app = await startApp('payload_api')
})
afterAll(async () => app?.stop())

describe('auth', () => {
  it('registers the first user and logs in', async () => {
    const registered = await requestJson(`${app.url}/api/users/first-register`, { method: 'POST', body: admin })
    expect(registered.status).toBe(200)
    expect(registered.body.user.email).toBe(admin.email)

    const login = await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: admin })
    expect(login.status).toBe(200)
    expect(login.body.token).toEqual(expect.any(String))
    token = login.body.token

    const me = await requestJson(`${app.url}/api/users/me`, { token })
    expect(me.body.user.email).toBe(admin.email)
  })

  it('answers a wrong password with 401, not a server error', async () => {
    const login = await requestJson(`${app.url}/api/users/login`, { method: 'POST', body: { ...admin, password: 'nope' } })
    expect(login.status).toBe(401)
    expect(login.body.errors[0].message).toEqual(expect.any(String))
  })
})

describe('REST', () => {
  it('creates and lists projects, keeping the spec’s aspect ratio values', async () => {
    const created = await requestJson(`${app.url}/api/projects`, {
      method: 'POST',
      token,
      body: { title: 'Harbour Lights', genre: 'drama', episodeCount: 6, projectSettings: { aspectRatio: '21:9' } },
    })
    expect(created.status).toBe(201)
    expect(created.body.doc.projectSettings.aspectRatio).toBe('21:9')

    const list = await requestJson(`${app.url}/api/projects?where[genre][equals]=drama&depth=0`, { token })
    expect(list.status).toBe(200)
    expect(list.body.docs.map((project: { title: string }) => project.title)).toContain('Harbour Lights')
  })

  it.each([
    ['an unknown enum value', { title: 'x', genre: 'western' }, 'genre'],
    ['an out-of-range number', { title: 'x', episodeCount: 99 }, 'episodeCount'],
    ['a missing required field', { genre: 'drama' }, 'title'],
    ['a bad aspect ratio', { title: 'x', projectSettings: { aspectRatio: '1:1' } }, 'projectSettings.aspectRatio'],
  ])('answers %s with 400 naming the field', async (_, body, path) => {
    const response = await requestJson(`${app.url}/api/projects`, { method: 'POST', token, body })
    expect(response.status).toBe(400)
    expect(response.body.errors[0].data.errors.map((e: { path: string }) => e.path)).toContain(path)
  })

  it('answers malformed JSON, an unknown id and an unknown collection with 4xx JSON', async () => {
    const malformed = await requestJson(`${app.url}/api/projects`, { method: 'POST', token, body: '{"title": ' })
    expect(malformed.status).toBeGreaterThanOrEqual(400)
    expect(malformed.status).toBeLessThan(500)

    const missing = await requestJson(`${app.url}/api/projects/64b7f0f0f0f0f0f0f0f0f0f0`, { token })
    expect(missing.status).toBe(404)

    const garbageId = await requestJson(`${app.url}/api/projects/not-an-id`, { token })
    expect(garbageId.status).toBe(404)

    const unknown = await requestJson(`${app.url}/api/no-such-collection`, { token })
    expect(unknown.status).toBe(404)
  })
})

describe('GraphQL', () => {
  it('builds its schema despite select values such as 16:9 and returns them as stored', async () => {
    const response = await requestJson(`${app.url}/api/graphql`, {
      method: 'POST',
      token,
      body: { query: '{ Projects(where: { title: { equals: "Harbour Lights" } }) { totalDocs docs { title projectSettings { aspectRatio } } } }' },
    })
    expect(response.status).toBe(200)
    expect(response.body.errors).toBeUndefined()
    expect(response.body.data.Projects.docs).toEqual([{ title: 'Harbour Lights', projectSettings: { aspectRatio: '21:9' } }])
  })

  it('creates a project from its title alone: fields with defaults are optional inputs', async () => {
    const response = await requestJson(`${app.url}/api/graphql`, {
      method: 'POST',
      token,
      body: { query: 'mutation { createProject(data: { title: "From GraphQL" }) { title status episodeCount createdBy { email } } }' },
    })
    expect(response.body.errors).toBeUndefined()
    expect(response.body.data.createProject).toEqual({
      title: 'From GraphQL',
      status: 'concept',
      episodeCount: 1,
      createdBy: { email: admin.email },
    })
  })

  it('answers a malformed query with a JSON error, not a server error', async () => {
    const response = await requestJson(`${app.url}/api/graphql`, { method: 'POST', token, body: { query: '{ Projects { ' } })
    // GraphQL reports syntax errors in the body (Payload answers 200 with `errors`); it must never be a 5xx.
    expect(response.status).toBeLessThan(500)
    expect(response.body.errors[0].message).toEqual(expect.any(String))
  })
})
