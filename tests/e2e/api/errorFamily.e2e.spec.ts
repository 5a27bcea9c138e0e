import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { type JsonResponse, requestJson } from '../../helpers/http'
import { createDoc, people, type Person } from './v1/session'

/**
 * One error family (src/errors): the same failure answers the same `{ status, code, message, details }` on REST
 * (`error`, beside Payload's own `errors[]`), GraphQL (`errors[].extensions.error`) and /api/v1 (`error`), for each
 * error class a hook, a domain rule or a service throws. Non-admin callers over HTTP against the built app.
 */
let app: RunningApp
let admin: Person, owner: Person, stranger: Person
let project: { id: string }, episode: { id: string }

// A small login budget per account so the lockout is reachable; the other policies stay out of the way.
const rateLimits = JSON.stringify({
  // The lockout is per account at an address (userAtIp) since the login guard; an address the owner signed in from
  // is known, so the account-wide budget (user) does not count there.
  login: { ip: { points: 1_000_000 }, user: { points: 3 }, userAtIp: { points: 3 } },
  registration: { ip: { points: 1_000_000 }, user: { points: 1_000_000 } },
  graphql: { ip: { points: 1_000_000 }, user: { points: 1_000_000 } },
})

beforeAll(async () => {
  app = await startApp('error_family', { RATE_LIMITS: rateLimits })
  const users = await people(app)
  admin = users.admin
  owner = await users.person('owner')
  stranger = await users.person('stranger')
  project = await createDoc(app, owner, 'projects', { title: 'Errors', episodeCount: 5 })
  episode = await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })
})
afterAll(async () => app?.stop())

const rest = (path: string, init: Parameters<typeof requestJson>[1]) => requestJson(`${app.url}/api${path}`, init)
const graphql = (token: string | undefined, query: string) => requestJson(`${app.url}/api/graphql`, { method: 'POST', token, body: { query } })

/** REST's and GraphQL's renderings of one failure; both must carry the same body, REST with the matching status. */
function expectSameError(restResponse: JsonResponse, graphqlResponse: JsonResponse) {
  const fromRest = restResponse.body?.error
  const fromGraphql = graphqlResponse.body?.errors?.[0]?.extensions?.error
  expect(fromRest, JSON.stringify(restResponse.body)).toMatchObject({ status: restResponse.status, code: expect.any(String), message: expect.any(String) })
  expect(fromGraphql, JSON.stringify(graphqlResponse.body)).toEqual(fromRest)
  // Payload's own shape stays for its clients (the admin, @payloadcms/sdk).
  expect(restResponse.body.errors?.[0]?.message).toEqual(expect.any(String))
  return fromRest as { status: number; code: string; message: string; details?: Record<string, unknown> }
}

describe('the same failure renders the same error body on REST and GraphQL (and /api/v1 where it is reachable)', () => {
  it('ConflictError from a status machine keeps `allowed`', async () => {
    const error = expectSameError(
      await rest(`/episodes/${episode.id}`, { method: 'PATCH', token: owner.token, body: { status: 'completed' } }),
      await graphql(owner.token, `mutation { updateEpisode(id: "${episode.id}", data: { status: completed }) { id } }`),
    )
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: { from: 'planning', to: 'completed', allowed: ['scripting'] } })
  })

  it('ConflictError from the deletion policy keeps `children`', async () => {
    const error = expectSameError(
      await rest(`/projects/${project.id}`, { method: 'DELETE', token: owner.token }),
      await graphql(owner.token, `mutation { deleteProject(id: "${project.id}") { id } }`),
    )
    expect(error).toMatchObject({ status: 409, code: 'CONFLICT', details: { children: { episodes: 1 } } })
  })

  it('QuotaExceededError keeps `limit`', async () => {
    // The free tier allows 3 projects: the stranger fills them, then both APIs refuse the 4th the same way.
    for (const title of ['One', 'Two', 'Three']) await createDoc(app, stranger, 'projects', { title })
    const error = expectSameError(
      await rest('/projects', { method: 'POST', token: stranger.token, body: { title: 'Four' } }),
      await graphql(stranger.token, 'mutation { createProject(data: { title: "Four" }) { id } }'),
    )
    expect(error).toMatchObject({ status: 403, code: 'QUOTA_EXCEEDED', details: { limit: 'maxProjects', value: 3 } })
  })

  it('RateLimitedError keeps `retryAfterSeconds`, with Retry-After on REST', async () => {
    const email = owner.email
    for (let attempt = 0; attempt < 3; attempt++) {
      await rest('/users/login', { method: 'POST', body: { email, password: 'wrong-password' } })
    }
    const restResponse = await rest('/users/login', { method: 'POST', body: { email, password: 'wrong-password' } })
    const graphqlResponse = await graphql(undefined, `mutation { loginUser(email: "${email}", password: "wrong-password") { token } }`)
    const restError = restResponse.body.error
    const graphqlError = graphqlResponse.body.errors?.[0]?.extensions?.error
    expect(restError, JSON.stringify(restResponse.body)).toMatchObject({ status: 429, code: 'RATE_LIMITED', details: { policy: 'login' } })
    expect(Number(restResponse.headers.get('retry-after'))).toBeGreaterThan(0)
    // The time left differs by the seconds between the two requests; everything else is the same.
    expect({ ...graphqlError, details: { ...graphqlError?.details, retryAfterSeconds: 0 } }).toEqual({
      ...restError,
      details: { ...restError.details, retryAfterSeconds: 0 },
    })
  })

  it("Payload's ValidationError names the field", async () => {
    const error = expectSameError(
      await rest(`/projects/${project.id}`, { method: 'PATCH', token: owner.token, body: { episodeCount: 999 } }),
      await graphql(owner.token, `mutation { updateProject(id: "${project.id}", data: { episodeCount: 999 }) { id } }`),
    )
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'episodeCount' })] } })
  })

  it("Payload's Forbidden", async () => {
    const error = expectSameError(
      await rest(`/episodes/${episode.id}`, { method: 'PATCH', token: stranger.token, body: { title: 'Mine now' } }),
      await graphql(stranger.token, `mutation { updateEpisode(id: "${episode.id}", data: { title: "Mine now" }) { id } }`),
    )
    expect(error).toMatchObject({ status: expect.any(Number), code: expect.stringMatching(/FORBIDDEN|NOT_FOUND/) })
  })

  it('ConflictError and ForbiddenError from a service on /api/v1 keep their details', async () => {
    const collaborator = `/api/v1/projects/${project.id}/collaborators`
    // Owners no longer add anyone by id (issue 9: they invite by email), which is itself a ForbiddenError; admins still do.
    const byOwner = await requestJson(`${app.url}${collaborator}`, { method: 'POST', token: owner.token, body: { userId: stranger.id } })
    expect(byOwner.body.error).toMatchObject({ status: 403, code: 'FORBIDDEN', message: expect.any(String) })
    const added = await requestJson(`${app.url}${collaborator}`, { method: 'POST', token: admin.token, body: { userId: stranger.id } })
    expect(added.status, JSON.stringify(added.body)).toBe(201)
    const again = await requestJson(`${app.url}${collaborator}`, { method: 'POST', token: admin.token, body: { userId: stranger.id } })
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ status: 409, code: 'CONFLICT', message: expect.any(String) })
    const notOwner = await requestJson(`${app.url}${collaborator}`, { method: 'DELETE', token: stranger.token, body: { userId: stranger.id } })
    expect(notOwner.body.error).toMatchObject({ status: 403, code: 'FORBIDDEN' })
  })
})
