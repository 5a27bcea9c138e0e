import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { requestJson } from '../../helpers/http'
import { createDoc, people, type Person, testRateLimits } from '../api/v1/session'

/**
 * Status at creation (issue 9 item 14) over real HTTP: a person — the project's owner, a collaborator, a producer —
 * creates a project, episode, scene, task or session only in its machine's initial status, through REST and GraphQL
 * alike (409 naming the field, nothing stored); an admin may start one in a later status. (/api/v1 creates tasks and
 * sessions with strict bodies that take no status; the Local API rule: tests/int/domain/statusMachines.int.spec.ts.)
 */
let app: RunningApp
let admin: Person, owner: Person, collaborator: Person, producer: Person
let projectId: string, episodeId: string
let sceneNumber = 1
let episodeNumber = 2

beforeAll(async () => {
  app = await startApp('creation_status', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  ;[admin, owner, collaborator, producer] = [users.admin, await users.person('owner'), await users.person('collaborator'), await users.person('producer')]
  const promote = await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: admin.token, body: { role: 'producer' } })
  expect(promote.status).toBe(200)
  projectId = (await createDoc(app, owner, 'projects', { title: 'Statuses', episodeCount: 50 })).id
  // Owners invite; an admin adds a member by id.
  const added = await requestJson(`${app.url}/api/v1/projects/${projectId}/collaborators`, { method: 'POST', token: admin.token, body: { userId: collaborator.id } })
  expect(added.status, JSON.stringify(added.body)).toBeLessThan(300)
  episodeId = (await createDoc(app, owner, 'episodes', { project: projectId, title: 'Pilot' })).id
})
afterAll(async () => app?.stop())

type Case = { slug: string; one: string; field: string; late: string; data: () => Record<string, unknown>; status: (doc: any) => unknown }
const cases: Case[] = [
  { slug: 'projects', one: 'Project', field: 'status', late: 'production', data: () => ({ title: 'Late', episodeCount: 3, status: 'production' }), status: (d) => d.status },
  {
    slug: 'episodes',
    one: 'Episode',
    field: 'status',
    late: 'completed',
    data: () => ({ project: projectId, episodeNumber: episodeNumber++, title: 'Late', status: 'completed' }),
    status: (d) => d.status,
  },
  {
    slug: 'scenes',
    one: 'Scene',
    field: 'production.status',
    late: 'approved',
    data: () => ({ project: projectId, episode: episodeId, sceneNumber: sceneNumber++, title: 'Late', production: { status: 'approved' } }),
    status: (d) => d.production?.status,
  },
  {
    slug: 'tasks',
    one: 'Task',
    field: 'status',
    late: 'completed',
    data: () => ({ project: projectId, taskType: 'image_generation', status: 'completed' }),
    status: (d) => d.status,
  },
  {
    slug: 'sessions',
    one: 'Session',
    field: 'sessionState',
    late: 'completed',
    // GraphQL's input requires `user`; for a person it is always the caller (field rule).
    data: () => ({ project: projectId, user: owner.id, currentStep: 'start', sessionState: 'completed' }),
    status: (d) => d.sessionState,
  },
]

const rest = (token: string, slug: string, body: unknown) => requestJson(`${app.url}/api/${slug}?depth=0`, { method: 'POST', token, body })
const graphql = (token: string, c: Case, data: unknown) =>
  requestJson(`${app.url}/api/graphql`, {
    method: 'POST',
    token,
    body: { query: `mutation($d: mutation${c.one}Input!) { create${c.one}(data: $d) { id } }`, variables: { d: data } },
  })
const count = async (slug: string) => (await requestJson(`${app.url}/api/${slug}/count`, { token: admin.token })).body.totalDocs as number

describe.each(cases)('$slug', (c) => {
  it.each([
    ['owner', () => owner],
    ['collaborator', () => collaborator],
    ['producer', () => producer],
  ] as const)('the %s is refused a late status over REST and GraphQL: 409 naming the field, nothing stored', async (who, person) => {
    // The producer creates in a project of its own (a producer is a tenant like anyone else).
    const data = who === 'producer' && c.slug !== 'projects' ? null : c.data()
    if (!data) return expect(who).toBe('producer')
    const before = await count(c.slug)
    const viaRest = await rest(person().token, c.slug, data)
    expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(409)
    expect(viaRest.body.error).toMatchObject({ code: 'CONFLICT', details: { field: c.field, to: c.late } })
    expect(viaRest.body.error.message).toContain(c.field)
    const viaGraphql = await graphql(person().token, c, c.data())
    expect(viaGraphql.body.errors?.[0]?.extensions?.error, JSON.stringify(viaGraphql.body)).toMatchObject({
      status: 409,
      code: 'CONFLICT',
      details: { field: c.field, to: c.late },
    })
    expect(await count(c.slug)).toBe(before)
  })

  it('an admin creates it in a late status over REST and GraphQL', async () => {
    const viaRest = await rest(admin.token, c.slug, c.data())
    expect(viaRest.status, JSON.stringify(viaRest.body)).toBe(201)
    expect(c.status(viaRest.body.doc)).toBe(c.late)
    const viaGraphql = await graphql(admin.token, c, c.data())
    expect(viaGraphql.body.errors, JSON.stringify(viaGraphql.body)).toBeUndefined()
    const stored = await requestJson(`${app.url}/api/${c.slug}/${viaGraphql.body.data[`create${c.one}`].id}?depth=0`, { token: admin.token })
    expect(c.status(stored.body)).toBe(c.late)
  })
})
