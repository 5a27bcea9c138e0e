import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { GRAPHQL_LIMITS, MAX_RENDERED_PROMPT_CHARS, WHERE_LIMITS } from '../../../src/model/apiLimits'
import { type RunningApp, startApp } from '../../helpers/app'
import { realisticFrontendQueries } from '../../helpers/graphqlQueries'
import { type JsonResponse, requestJson } from '../../helpers/http'
import { createDoc, people, type Person, testRateLimits } from './v1/session'

/**
 * Unbounded cost from outside (issue 19 items 7, 8, 13) against `next start`, as an owner, a stranger and anonymous:
 * GraphQL documents over a bound (aliases, nested lists, fragments, operations, depth, where) and REST `where`
 * filters over a bound (branches, nesting, relationship paths; query string and method-override body) are refused
 * with 400 in the documented error shape before any work; a frontend's queries and filters pass; a render that
 * would multiply its inputs is refused. How fast the refusals are is a benchmark's business (bench/queryLimits.ts).
 */
let app: RunningApp
let admin: Person, owner: Person, stranger: Person, producer: Person
let project: { id: string }

beforeAll(async () => {
  app = await startApp('query_limits', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  admin = users.admin
  owner = await users.person('owner')
  stranger = await users.person('stranger')
  producer = await users.person('producer')
  await requestJson(`${app.url}/api/users/${producer.id}`, { method: 'PATCH', token: admin.token, body: { role: 'producer' } })
  project = await createDoc(app, owner, 'projects', { title: 'Harbour Lights', genre: 'drama' })
  await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })
}, 900_000) // the first e2e file of a run builds the app
afterAll(async () => app?.stop())

const graphql = (who: Person | undefined, query: string, variables?: Record<string, unknown>) =>
  requestJson(`${app.url}/api/graphql`, { method: 'POST', token: who?.token, body: { query, variables } })

function expectGraphQLRefusal(response: JsonResponse, limit: string) {
  expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(400)
  expect(response.body.data).toBeUndefined()
  expect(response.body.errors).toHaveLength(1)
  expect(response.body.errors[0].extensions.error).toMatchObject({
    status: 400,
    code: 'QUERY_LIMIT_EXCEEDED',
    message: expect.stringContaining(`limit ${limit}`),
    details: { limit, max: expect.any(Number), value: expect.any(Number) },
  })
}

function expectRestRefusal(response: JsonResponse, limit: string) {
  expect(response.status, JSON.stringify(response.body).slice(0, 500)).toBe(400)
  expect(response.body.error).toMatchObject({ status: 400, code: 'QUERY_LIMIT_EXCEEDED', details: { limit } })
  expect(response.body.errors[0].message).toContain(`limit ${limit}`)
}

const aliasedRootLists = (count: number) => `{ ${Array.from({ length: count }, (_, i) => `a${i}: Projects(page: ${i + 1}) { totalDocs }`).join(' ')} }`
const asWho = () => [
  ['the owner', owner],
  ['anonymous', undefined],
] as const

describe('GraphQL: refused before execution, 400 in the standard shape', () => {
  it('the issue-19 attack: ~280 aliased root lists (6.9 KB), as the owner and anonymous', async () => {
    const query = aliasedRootLists(280)
    expect(query.length).toBeGreaterThan(6_900)
    for (const [, who] of asWho()) expectGraphQLRefusal(await graphql(who, query), 'graphql.maxAliases')
  })

  it('within the alias bound, root lists still cost a query each', async () => {
    for (const [, who] of asWho()) expectGraphQLRefusal(await graphql(who, aliasedRootLists(GRAPHQL_LIMITS.maxAliases)), 'graphql.maxCost')
  })

  it('aliases on a nested list count per row of the page', async () => {
    const aliases = Array.from({ length: 25 }, (_, i) => `c${i}: createdBy { email name }`).join(' ')
    for (const [, who] of asWho()) expectGraphQLRefusal(await graphql(who, `{ Projects(limit: 100) { docs { ${aliases} } } }`), 'graphql.maxCost')
  })

  it('fragments are costed where they are spread', async () => {
    const spreads = Array.from({ length: 8 }, (_, i) => `p${i}: Projects(limit: 100, page: ${i + 1}) { docs { ...P } }`).join(' ')
    const query = `{ ${spreads} } fragment P on Project { id title createdBy { email } collaborators { email } }`
    for (const [, who] of asWho()) expectGraphQLRefusal(await graphql(who, query), 'graphql.maxCost')
  })

  it('many operations in one document, deep nesting, a large document', async () => {
    const operations = Array.from({ length: GRAPHQL_LIMITS.maxOperations + 1 }, (_, i) => `query Q${i} { Projects { totalDocs } }`).join(' ')
    expectGraphQLRefusal(await graphql(undefined, operations), 'graphql.maxOperations')
    const deep = `{ ${'__type(name: "Project") { fields { type { '.repeat(6)} name ${'} } } '.repeat(6)} }`
    expectGraphQLRefusal(await graphql(owner, deep), 'graphql.maxDepth')
    expectGraphQLRefusal(await graphql(undefined, `{ Projects { totalDocs } } #${'x'.repeat(GRAPHQL_LIMITS.maxDocumentChars)}`), 'graphql.maxDocumentChars')
  })

  it('one field repeated hundreds of times (quadratic to validate), as anonymous', async () => {
    expectGraphQLRefusal(await graphql(undefined, `{ Projects { docs { ${'createdBy { id } '.repeat(500)} } } }`), 'graphql.maxFieldRepeats')
  })

  it('over GET too (what @urql/core sends)', async () => {
    const url = `${app.url}/api/graphql?query=${encodeURIComponent(aliasedRootLists(GRAPHQL_LIMITS.maxAliases + 1))}`
    expectGraphQLRefusal(await requestJson(url, { token: owner.token }), 'graphql.maxAliases')
  })

  it('where arguments over WHERE_LIMITS (a literal and a variable)', async () => {
    const branches = Array.from({ length: 200 }, (_, i) => ({ title: { equals: `t${i}` } }))
    expectGraphQLRefusal(await graphql(stranger, 'query($w: Project_where) { Projects(where: $w) { totalDocs } }', { w: { OR: branches } }), 'where.branches')
    let nested: Record<string, unknown> = { title: { equals: 'x' } }
    for (let i = 0; i <= WHERE_LIMITS.maxDepth; i++) nested = { AND: [nested] }
    expectGraphQLRefusal(await graphql(stranger, 'query($w: Project_where) { Projects(where: $w) { totalDocs } }', { w: nested }), 'where.depth')
  })

  it("a frontend's queries pass, with their data", async () => {
    for (const [name, { query, variables }] of Object.entries(realisticFrontendQueries)) {
      // The ids are this app's project; the rename keeps the title the other tests filter on.
      const bound = Object.fromEntries(
        Object.entries(variables ?? {}).map(([key, value]) => [key, value === '000000000000000000000000' ? project.id : key === 'title' ? 'Harbour Lights' : value]),
      )
      const response = await graphql(owner, query, bound)
      expect(response.status, name).toBe(200)
      expect(response.body.errors, `${name}: ${JSON.stringify(response.body.errors)}`).toBeUndefined()
    }
    const page = await graphql(owner, realisticFrontendQueries.projectPage!.query, { id: project.id, project: project.id })
    expect(page.body.data.Project.title).toBe('Harbour Lights')
    expect(page.body.data.Episodes.docs.map((episode: { title: string }) => episode.title)).toEqual(['Pilot'])
  })
})

describe('REST where: 400 naming the bound; normal filters pass', () => {
  const or = (count: number, field: string) => Array.from({ length: count }, (_, i) => `where[or][${i}][${field}][equals]=v${i}%40example.test`).join('&')

  it('the issue-19 request: 200 or-branches on a relationship sub-field, as a stranger and anonymous', async () => {
    const url = `${app.url}/api/projects?${or(200, 'createdBy.email')}`
    expect(url.length).toBeGreaterThan(8_000)
    for (const who of [stranger, undefined]) {
      const response = await requestJson(url, { token: who?.token })
      expect(response.status).toBe(400)
      expect(response.body.error.code).toBe('QUERY_LIMIT_EXCEEDED')
    }
  })

  it('many relationship sub-queries within the branch bound', async () => {
    const paths = WHERE_LIMITS.maxRelationshipPaths + 1
    expectRestRefusal(await requestJson(`${app.url}/api/projects?${or(paths, 'createdBy.email')}`, { token: stranger.token }), 'where.relationshipPaths')
    expectRestRefusal(await requestJson(`${app.url}/api/episodes?${or(paths, 'project.title')}`, { token: stranger.token }), 'where.relationshipPaths')
  })

  it('deep nesting, many conditions, on reads and counts', async () => {
    // Payload's query-string parser stops at 10 brackets, so REST cannot nest and/or past 4 levels (the rest is
    // Payload's own 400); where.depth binds JSON shapes (GraphQL above, the Local API in the int test).
    const deep = `where${'[and][0]'.repeat(WHERE_LIMITS.maxDepth + 1)}[title][equals]=x`
    const tooDeep = await requestJson(`${app.url}/api/projects?${deep}`, { token: owner.token })
    expect(tooDeep.status).toBe(400)
    expect(tooDeep.body.error.status).toBe(400)
    const conditions = Array.from({ length: WHERE_LIMITS.maxConditions + 1 }, (_, i) => `where[and][0][field${i}][equals]=x`).join('&')
    expectRestRefusal(await requestJson(`${app.url}/api/projects?${conditions}`, { token: owner.token }), 'where.conditions')
    expectRestRefusal(await requestJson(`${app.url}/api/projects/count?${or(WHERE_LIMITS.maxBranches + 1, 'title')}`, { token: owner.token }), 'where.branches')
  })

  it('the method-override body (POST, X-Payload-HTTP-Method-Override: GET) is bounded the same way', async () => {
    const response = await fetch(`${app.url}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Payload-HTTP-Method-Override': 'GET', authorization: `JWT ${stranger.token}` },
      body: or(200, 'createdBy.email'),
    })
    expect(response.status).toBe(400)
    expect((await response.json()).error.code).toBe('QUERY_LIMIT_EXCEEDED')
    const normal = await fetch(`${app.url}/api/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'X-Payload-HTTP-Method-Override': 'GET', authorization: `JWT ${owner.token}` },
      body: 'where[title][like]=Harbour&depth=0',
    })
    expect(normal.status).toBe(200)
    expect((await normal.json()).docs.map((doc: { title: string }) => doc.title)).toEqual(['Harbour Lights'])
  })

  it("a frontend's filters pass: search over a few fields, status groups, a related title", async () => {
    const search = 'where[or][0][title][like]=Harbour&where[or][1][description][like]=Harbour&where[and][0][genre][in]=drama,comedy&depth=0'
    const found = await requestJson(`${app.url}/api/projects?${search}`, { token: owner.token })
    expect(found.status).toBe(200)
    expect(found.body.docs.map((doc: { title: string }) => doc.title)).toEqual(['Harbour Lights'])
    const related = await requestJson(`${app.url}/api/episodes?where[project.title][equals]=Harbour%20Lights&where[title][like]=Pil&depth=0`, { token: owner.token })
    expect(related.status).toBe(200)
    expect(related.body.docs.map((doc: { title: string }) => doc.title)).toEqual(['Pilot'])
    const v1 = await requestJson(`${app.url}/api/v1/projects?status=concept&genre=drama`, { token: owner.token })
    expect(v1.status).toBe(200)
    expect(v1.body.docs.map((doc: { title: string }) => doc.title)).toEqual(['Harbour Lights'])
  })
})

describe('POST /api/v1/prompt-templates/{id}/render and execute: the rendered size is bounded', () => {
  it('a placeholder repeated over a 900 KB input is a 400 naming the limit, not 9.9 MB of output', async () => {
    const template = await createDoc(app, producer, 'prompt-templates', {
      name: 'Echo',
      template: Array.from({ length: 11 }, () => '{{x}}').join('\n'),
      variableDefs: [{ name: 'x', type: 'text' }],
      model: 'anthropic/claude-sonnet-4',
    })
    const inputs = { x: 'a'.repeat(900_000) }
    const rendered = await requestJson(`${app.url}/api/v1/prompt-templates/${template.id}/render`, { method: 'POST', token: owner.token, body: { inputs } })
    expect(rendered.status).toBe(400)
    expect(rendered.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [{ path: 'inputs' }] } })
    expect(rendered.body.error.message).toContain(`${MAX_RENDERED_PROMPT_CHARS} characters (limit prompt.maxRenderedChars)`)
    for (const wait of ['', '?wait=true']) {
      const executed = await requestJson(`${app.url}/api/v1/prompt-templates/${template.id}/execute${wait}`, {
        method: 'POST',
        token: owner.token,
        body: { inputs, projectId: project.id },
      })
      expect(executed.status, wait).toBe(400)
      expect(executed.body.error.message).toContain('limit prompt.maxRenderedChars')
    }
    const small = await requestJson(`${app.url}/api/v1/prompt-templates/${template.id}/render`, { method: 'POST', token: owner.token, body: { inputs: { x: 'hi' } } })
    expect(small.status).toBe(200)
    expect(small.body.resolvedPrompt).toBe(Array.from({ length: 11 }, () => 'hi').join('\n'))
  })
})
