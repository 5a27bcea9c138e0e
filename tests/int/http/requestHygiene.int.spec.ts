import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import type { User } from '../../../src/payload-types'

import { JSON_FIELD_MAX_BYTES, JSON_FIELD_MAX_DEPTH } from '../../../src/fields/jsonFieldLimits'
import { DEFAULT_JSON_BODY_LIMIT_BYTES } from '../../../src/http/jsonBody'
import { REGISTRATION_ACCEPTED_MESSAGE } from '../../../src/collections/Users/uniformRegistration'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * The HTTP layer against hostile and careless clients (issue 9: items 2, 9, 10, 11, 12), through the route handlers
 * `next start` serves — Payload's REST and GraphQL routes with their wrappers, and /api/v1 — called in-process with
 * real Requests, as each principal: owner, collaborator, stranger, producer, admin, worker (API key), anonymous.
 */
const RUNS = Number(process.env.HOSTILE_RUNS || 1000)
// Logins hash passwords (600,000 PBKDF2 rounds each) and the fuzzing runs thousands of requests: slow on a busy machine.
vi.setConfig({ testTimeout: 300_000 })
const SERVER_URL = 'http://studio.test'
const PASSWORD = 'Passw0rd!secret'

type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>
let payload: Payload
let cleanup: () => Promise<void>
let rest: Record<'GET' | 'POST' | 'PATCH', Handler>
let graphql: Handler
let v1Project: Handler
const people: Record<string, { user: User; auth: Record<string, string> }> = {}
const ids: Record<string, string> = {}

const collectionSlugs = ['projects', 'episodes', 'scenes', 'characters', 'media', 'tasks', 'prompt-templates', 'prompts-executed', 'sessions', 'users', 'audit-log']

beforeAll(async () => {
  process.env.NEXT_PUBLIC_SERVER_URL = SERVER_URL
  process.env.RATE_LIMIT_PREFIX = `hygiene-${randomBytes(4).toString('hex')}`
  process.env.RATE_LIMITS = JSON.stringify(
    Object.fromEntries(['login', 'registration', 'passwordReset', 'graphql', 'search'].map((p) => [p, { ip: { points: 1e9 }, user: { points: 1e9 }, userAtIp: { points: 1e9 } }])),
  )
  ;({ payload, cleanup } = await createTestPayload('hygiene'))
  const make = fixtures(payload)
  const login = async (user: User) =>
    ({ authorization: `JWT ${(await payload.login({ collection: 'users', data: { email: user.email, password: PASSWORD } })).token}` })
  const admin = (await make.user({ password: PASSWORD, role: 'admin' })) as User
  for (const [name, data] of [
    ['owner', {}],
    ['collaborator', {}],
    ['stranger', {}],
    ['producer', { role: 'producer' }],
  ] as const) {
    const user = (await make.user({ password: PASSWORD, ...data })) as User
    people[name] = { user, auth: await login(user) }
  }
  people.admin = { user: admin, auth: await login(admin) }
  const apiKey = randomBytes(16).toString('hex')
  const worker = (await make.user({ password: PASSWORD, enableAPIKey: true, apiKey, role: 'admin' })) as User
  people.worker = { user: worker, auth: { authorization: `users API-Key ${apiKey}` } }
  people.anonymous = { user: null as unknown as User, auth: {} }

  const project = await make.project(people.owner.user.id, { collaborators: [people.collaborator.user.id] })
  const task = await payload.create({ collection: 'tasks', data: { project: project.id, taskType: 'image_generation' } as never })
  ids.project = project.id
  ids.task = task.id

  const { default: config } = await import('@payload-config')
  const routes = await import('@payloadcms/next/routes')
  const { guardJsonBody } = await import('../../../src/http/guardJsonBody')
  const { uniformRegistration } = await import('../../../src/collections/Users/uniformRegistration')
  const { withRateLimit } = await import('../../../src/http/withRateLimit')
  // The compositions of src/app/(payload)/api/[...slug]/route.ts and api/graphql/route.ts.
  rest = {
    GET: routes.REST_GET(config) as Handler,
    POST: guardJsonBody(uniformRegistration({ config, handler: routes.REST_POST(config) as Handler })) as Handler,
    PATCH: guardJsonBody(routes.REST_PATCH(config) as Handler) as Handler,
  }
  graphql = withRateLimit({ policy: 'graphql', config, handler: guardJsonBody(routes.GRAPHQL_POST(config) as Handler) }) as Handler
  v1Project = (await import('../../../src/app/api/v1/projects/[id]/route')).GET as unknown as Handler
}, 240_000)

afterAll(async () => {
  await cleanup?.()
})

const slugParams = (path: string) => ({ params: Promise.resolve({ slug: path.split('?')[0].split('/').filter(Boolean).slice(1) }) })

async function call(
  handler: Handler,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: BodyInit },
  params?: Record<string, unknown>,
) {
  const response = await handler(new Request(`${SERVER_URL}${path}`, init), params ? { params: Promise.resolve(params) } : slugParams(path))
  const text = await response.text()
  let body: any // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of every shape are probed
  try {
    body = text ? JSON.parse(text) : undefined
  } catch {
    body = { notJson: text.slice(0, 200) }
  }
  return { status: response.status, body, text: text.slice(0, 400) }
}

const send = (method: 'POST' | 'PATCH', path: string, raw: string | undefined, headers: Record<string, string> = {}) =>
  call(rest[method], `/api${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: raw })
const gql = (raw: string, headers: Record<string, string> = {}) =>
  call(graphql, '/api/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: raw })

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth)

describe('no client input yields a 5xx (item 9)', () => {
  const shapes: [string, string | undefined][] = [
    ['no body', undefined],
    ['null', 'null'],
    ['a string', '"x"'],
    ['a number', '5'],
    ['an array', '[1]'],
    ['malformed JSON', '{"a":'],
  ]

  it.each(collectionSlugs)('REST create and update of %s answer 4xx to a body that is no object', async (slug) => {
    const target = slug === 'projects' ? ids.project : slug === 'users' ? people.owner.user.id : slug === 'tasks' ? ids.task : '0123456789abcdef01234567'
    for (const [shape, raw] of shapes) {
      for (const as of ['owner', 'admin', 'anonymous']) {
        for (const [method, path] of [
          ['POST', `/${slug}`],
          ['PATCH', `/${slug}/${target}`],
        ] as const) {
          const answer = await send(method, path, raw, people[as].auth)
          expect(answer.status, `${method} ${path} as ${as} with ${raw}: ${answer.text}`).toBeLessThan(500)
          // No body stands for an empty object: an update that changes nothing may succeed.
          if (shape === 'no body' && answer.status < 300) continue
          expect(answer.status, `${method} ${path} as ${as} with ${raw}: ${answer.text}`).toBeGreaterThanOrEqual(400)
          expect(answer.body?.errors?.[0]?.message).toEqual(expect.any(String))
        }
      }
    }
  })

  it('GraphQL answers 4xx to a body that is no object', async () => {
    for (const [, raw] of shapes) {
      const answer = await gql(raw ?? '', people.owner.auth)
      expect(answer.status, `${raw}: ${answer.text}`).toBeGreaterThanOrEqual(400)
      expect(answer.status, `${raw}: ${answer.text}`).toBeLessThan(500)
    }
  })

  it('JSON nested 5,000 deep in tasks.input.parameters answers 400 (REST and GraphQL), nothing stored', async () => {
    const before = await payload.count({ collection: 'tasks', overrideAccess: true })
    const deep = `{"project":"${ids.project}","taskType":"image_generation","input":{"parameters":${nested(5000)}}}`
    const viaRest = await send('POST', '/tasks', deep, people.owner.auth)
    expect(viaRest.status, viaRest.text).toBe(400)
    expect(viaRest.body.errors[0].message).toMatch(/deeper than \d+ levels/)
    const viaGraphql = await gql(
      `{"query":"mutation($p: JSON) { createTask(data: { project: \\"${ids.project}\\", taskType: image_generation, input: { parameters: $p } }) { id } }","variables":{"p":${nested(5000)}}}`,
      people.owner.auth,
    )
    expect(viaGraphql.status, viaGraphql.text).toBe(400)
    expect((await payload.count({ collection: 'tasks', overrideAccess: true })).totalDocs).toBe(before.totalDocs)
  })

  it('changing one’s email to a taken one answers like a free one — never a 5xx, never an oracle (REST and GraphQL)', async () => {
    // Issue 19 item 2: without the current password, 400 naming it; with it, the same 200 (a pending address, the
    // account's own unchanged) whether the address is taken or free.
    const taken = people.stranger.user.email
    const viaRest = await send('PATCH', `/users/${people.owner.user.id}`, JSON.stringify({ email: taken }), people.owner.auth)
    expect(viaRest.status, viaRest.text).toBe(400)
    expect(viaRest.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })])
    const answers = []
    for (const email of [taken, `free-${Date.now()}@example.test`]) {
      const answer = await send('PATCH', `/users/${people.owner.user.id}`, JSON.stringify({ email, currentPassword: PASSWORD }), people.owner.auth)
      expect(answer.status, answer.text).toBe(200)
      expect([answer.body.doc.email, answer.body.doc.pendingEmail]).toEqual([people.owner.user.email, email])
      answers.push(Object.keys(answer.body.doc).sort())
    }
    expect(answers[0]).toEqual(answers[1])
    const viaGraphql = await gql(
      JSON.stringify({ query: `mutation { updateUser(id: "${people.owner.user.id}", data: { email: "${taken}" }) { id } }` }),
      people.owner.auth,
    )
    expect(viaGraphql.status, viaGraphql.text).toBeLessThan(500)
    expect(viaGraphql.body.errors?.[0]?.extensions?.statusCode ?? viaGraphql.status).toBe(400)
  })

  /** Any JSON value, wrong types included, nested a little, and occasionally very deep or not an object at all. */
  const hostileValue = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.integer({ min: 40, max: 3000 }).map((depth) => JSON.parse(nested(depth)) as unknown),
    fc.constantFrom<unknown>(null, '', 'x', 0, -1, 1e308, true, [], {}, { $where: '1' }, { __proto__: { admin: true } }),
  )
  const hostileBody = fc.oneof(
    { weight: 4, arbitrary: fc.dictionary(fc.constantFrom('title', 'name', 'project', 'input', 'status', 'email', 'password', 'role', 'data', 'metadata', 'template', 'collaborators', 'createdBy'), hostileValue, { maxKeys: 4 }) },
    { weight: 1, arbitrary: hostileValue },
  )

  it(`answers ${RUNS} hostile REST updates over every collection with a JSON 4xx or a success, never 5xx`, async () => {
    const targets: Record<string, string> = { projects: ids.project, tasks: ids.task, users: people.owner.user.id }
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...collectionSlugs), hostileBody, fc.constantFrom('owner', 'admin', 'stranger', 'worker'), async (slug, body, as) => {
        const id = targets[slug] ?? '0123456789abcdef01234567'
        const answer = await send('PATCH', `/${slug}/${id}`, JSON.stringify(body), people[as].auth)
        expect(answer.status, `${slug} as ${as}: ${answer.text}`).toBeLessThan(500)
        if (answer.status >= 400) expect(answer.body?.errors?.[0]?.message, answer.text).toEqual(expect.any(String))
      }),
      { numRuns: RUNS },
    )
  }, 900_000)

  it(`answers ${RUNS} hostile GraphQL mutation bodies without 5xx`, async () => {
    const mutations = [
      'mutation($d: mutationProjectInput!) { createProject(data: $d) { id } }',
      `mutation($d: mutationProjectUpdateInput!) { updateProject(id: "${ids.project}", data: $d) { id } }`,
      'mutation($d: mutationTaskInput!) { createTask(data: $d) { id } }',
      `mutation($d: mutationTaskUpdateInput!) { updateTask(id: "${ids.task}", data: $d) { id } }`,
      'mutation($d: mutationSessionInput!) { createSession(data: $d) { id } }',
      'mutation($d: mutationUserInput!) { createUser(data: $d) { id } }',
      `mutation($d: mutationUserUpdateInput!) { updateUser(id: "${people.owner.user.id}", data: $d) { id } }`,
      'mutation($d: mutationPromptTemplateInput!) { createPromptTemplate(data: $d) { id } }',
    ]
    const request = fc.oneof(
      fc.record({ query: fc.constantFrom(...mutations), variables: fc.record({ d: hostileBody }) }),
      fc.record({ query: fc.oneof(fc.constantFrom(...mutations), hostileValue), variables: hostileValue }, { requiredKeys: [] }),
      hostileValue,
    )
    await fc.assert(
      fc.asyncProperty(request, fc.constantFrom('owner', 'admin', 'anonymous'), async (body, as) => {
        const answer = await gql(JSON.stringify(body), people[as].auth)
        expect(answer.status, `as ${as}: ${answer.text}`).toBeLessThan(500)
        for (const error of answer.body?.errors ?? []) {
          expect(error.extensions?.statusCode ?? 400, answer.text).toBeLessThan(500)
        }
      }),
      { numRuns: RUNS },
    )
  }, 900_000)
})

describe('size limits (item 10)', () => {
  const large = (bytes: number) => JSON.stringify({ project: ids.project, taskType: 'image_generation', input: { parameters: { text: 'x'.repeat(bytes) } } })

  it(`refuses a JSON body above ${DEFAULT_JSON_BODY_LIMIT_BYTES} bytes with 413 naming the limit: REST, GraphQL, /api/v1`, async () => {
    const body = large(DEFAULT_JSON_BODY_LIMIT_BYTES + 10)
    const answers = [
      await send('POST', '/tasks', body, people.owner.auth),
      await send('PATCH', `/tasks/${ids.task}`, body, people.owner.auth),
      await gql(JSON.stringify({ query: 'mutation { createProject(data: { title: "x" }) { id } }', variables: { pad: 'x'.repeat(DEFAULT_JSON_BODY_LIMIT_BYTES) } }), people.owner.auth),
    ]
    const { DELETE: v1RemoveCollaborator } = (await import('../../../src/app/api/v1/projects/[id]/collaborators/route')) as unknown as { DELETE: Handler }
    const padded = JSON.stringify({ userId: people.collaborator.user.id, pad: 'x'.repeat(DEFAULT_JSON_BODY_LIMIT_BYTES) })
    const path = `/api/v1/projects/${ids.project}/collaborators`
    answers.push(await call(v1RemoveCollaborator, path, { method: 'DELETE', headers: { ...people.owner.auth, 'content-type': 'application/json' }, body: padded }, { id: ids.project }))
    for (const answer of answers) {
      expect(answer.status, answer.text).toBe(413)
      expect(answer.text).toContain(String(DEFAULT_JSON_BODY_LIMIT_BYTES))
    }
    // Without Content-Length (a streamed body) the limit holds too.
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(body))
        controller.close()
      },
    })
    const streamed = await call(rest.POST, '/api/tasks', { method: 'POST', headers: { ...people.owner.auth, 'content-type': 'application/json' }, body: stream, duplex: 'half' } as never)
    expect(streamed.status, streamed.text).toBe(413)
  })

  it(`refuses a json field above ${JSON_FIELD_MAX_BYTES} bytes or ${JSON_FIELD_MAX_DEPTH} levels with 400 naming the field and the limit`, async () => {
    const before = await payload.count({ collection: 'tasks', overrideAccess: true })
    const big = await send('POST', '/tasks', large(JSON_FIELD_MAX_BYTES + 10), people.owner.auth)
    expect(big.status, big.text).toBe(400)
    expect(big.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'input.parameters', message: expect.stringContaining(String(JSON_FIELD_MAX_BYTES)) })])
    const deep = await send('POST', '/tasks', JSON.stringify({ project: ids.project, taskType: 'image_generation', input: { parameters: JSON.parse(nested(JSON_FIELD_MAX_DEPTH + 1)) } }), people.owner.auth)
    expect(deep.status, deep.text).toBe(400)
    expect(deep.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'input.parameters', message: expect.stringContaining(String(JSON_FIELD_MAX_DEPTH)) })])
    const session = await send('POST', '/sessions', JSON.stringify({ project: ids.project, contextData: { workflowState: { blob: 'x'.repeat(JSON_FIELD_MAX_BYTES) } } }), people.owner.auth)
    expect(session.status, session.text).toBe(400)
    expect(JSON.stringify(session.body.errors[0].data.errors)).toContain('workflowState')
    const viaGraphql = await gql(
      JSON.stringify({
        query: `mutation($p: JSON) { createTask(data: { project: "${ids.project}", taskType: image_generation, input: { parameters: $p } }) { id } }`,
        variables: { p: { text: 'x'.repeat(JSON_FIELD_MAX_BYTES + 10) } },
      }),
      people.owner.auth,
    )
    expect(viaGraphql.body.errors?.[0]?.message, viaGraphql.text).toMatch(/input\.parameters|Parameters/)
    expect((await payload.count({ collection: 'tasks', overrideAccess: true })).totalDocs).toBe(before.totalDocs)
  })
})

describe('no account oracle in registration (item 11)', () => {
  it('answers a new and an already registered address alike, and creates only the new account', async () => {
    const fresh = `new-${randomBytes(4).toString('hex')}@example.test`
    const asNew = await send('POST', '/users', JSON.stringify({ email: fresh, password: PASSWORD }))
    const asTaken = await send('POST', '/users', JSON.stringify({ email: people.stranger.user.email, password: PASSWORD }))
    const takenOtherCase = await send('POST', '/users', JSON.stringify({ email: people.stranger.user.email.toUpperCase(), password: PASSWORD }), people.owner.auth)
    expect(asNew.status, asNew.text).toBe(202)
    expect(asTaken).toEqual(asNew)
    expect(takenOtherCase).toEqual(asNew)
    expect(asNew.body).toEqual({ message: REGISTRATION_ACCEPTED_MESSAGE })
    expect((await payload.count({ collection: 'users', where: { email: { equals: fresh } } })).totalDocs).toBe(1)
    // The new account works.
    await expect(payload.login({ collection: 'users', data: { email: fresh, password: PASSWORD } })).resolves.toHaveProperty('token')
    // Admins still get the created document.
    const byAdmin = await send('POST', '/users', JSON.stringify({ email: `made-${randomBytes(4).toString('hex')}@example.test`, password: PASSWORD }), people.admin.auth)
    expect(byAdmin.status).toBe(201)
    expect(byAdmin.body.doc.id).toEqual(expect.any(String))
  })

  it('GraphQL createUser answers a new and an already registered address alike, and creates only the new account', async () => {
    const register = (email: string, auth: Record<string, string> = {}) =>
      gql(JSON.stringify({ query: 'mutation($d: mutationUserInput!) { createUser(data: $d) { id email } }', variables: { d: { email, password: PASSWORD } } }), auth)
    const fresh = `new-gql-${randomBytes(4).toString('hex')}@example.test`
    const asNew = await register(fresh)
    const asTaken = await register(people.stranger.user.email)
    const takenOtherCase = await register(people.stranger.user.email.toUpperCase(), people.owner.auth)
    expect(asNew.status, asNew.text).toBe(200)
    expect(asNew.body).toEqual({ data: { createUser: null } })
    expect(asTaken).toEqual(asNew)
    expect(takenOtherCase).toEqual(asNew)
    expect((await payload.count({ collection: 'users', where: { email: { equals: fresh } } })).totalDocs).toBe(1)
    await expect(payload.login({ collection: 'users', data: { email: fresh, password: PASSWORD } })).resolves.toHaveProperty('token')
    // A malformed address is still refused, and says nothing about accounts.
    const malformed = await register('not-an-email')
    expect(malformed.body.errors?.[0]?.message, malformed.text).toEqual(expect.any(String))
    // Admins still get the created document.
    const made = `made-gql-${randomBytes(4).toString('hex')}@example.test`
    const byAdmin = await register(made, people.admin.auth)
    expect(byAdmin.body.data?.createUser, byAdmin.text).toMatchObject({ id: expect.any(String), email: made })
  })

  it('takes as long to refuse a login for a missing account as for a wrong password (ratio, generous margin)', async () => {
    const attempt = async (email: string) => {
      const started = performance.now()
      const answer = await send('POST', '/users/login', JSON.stringify({ email, password: 'wrong-password' }))
      expect(answer.status).toBe(401)
      return performance.now() - started
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
    const existing: number[] = []
    const missing: number[] = []
    for (let i = 0; i < 5; i++) {
      existing.push(await attempt(people.stranger.user.email))
      missing.push(await attempt(`nobody-${i}-${randomBytes(3).toString('hex')}@example.test`))
    }
    // Before the fix a missing account answered 3–5× faster (ratio 0.2–0.33); equal work puts it near 1.
    expect(median(missing) / median(existing)).toBeGreaterThan(0.6)
  }, 300_000)
})

describe('session hygiene (item 12)', () => {
  const cookieOf = (auth: Record<string, string>) => ({ cookie: `payload-token=${auth.authorization.replace('JWT ', '')}` })

  it('a cookie-authenticated write from a foreign Origin is refused (REST and GraphQL); from the app’s origin it passes', async () => {
    const cookie = cookieOf(people.owner.auth)
    const foreign = await send('PATCH', `/projects/${ids.project}`, JSON.stringify({ title: 'Hijacked' }), { ...cookie, origin: 'https://evil.example' })
    expect(foreign.status, foreign.text).toBeGreaterThanOrEqual(401)
    expect(foreign.status).toBeLessThan(500)
    const foreignGraphql = await gql(JSON.stringify({ query: `mutation { updateProject(id: "${ids.project}", data: { title: "Hijacked" }) { id } }` }), {
      ...cookie,
      origin: 'https://evil.example',
    })
    expect(foreignGraphql.body.errors?.length, foreignGraphql.text).toBeGreaterThan(0)
    expect((await payload.findByID({ collection: 'projects', id: ids.project })).title).not.toBe('Hijacked')
    const own = await send('PATCH', `/projects/${ids.project}`, JSON.stringify({ title: 'Renamed' }), { ...cookie, origin: SERVER_URL })
    expect(own.status, own.text).toBe(200)
  })

  it('changing the password needs the current one and ends the account’s other sessions (REST)', async () => {
    const user = (await fixtures(payload).user({ password: PASSWORD })) as User
    const token = async () => `JWT ${(await payload.login({ collection: 'users', data: { email: user.email, password: PASSWORD } })).token}`
    const [here, elsewhere] = [await token(), await token()]
    const me = async (authorization: string) => (await call(rest.GET, '/api/users/me', { headers: { authorization } })).body?.user?.id
    expect(await me(elsewhere)).toBe(user.id)

    const without = await send('PATCH', `/users/${user.id}`, JSON.stringify({ password: 'N3w-passw0rd!' }), { authorization: here })
    expect(without.status, without.text).toBe(400)
    expect(without.body.errors[0].data.errors).toEqual([expect.objectContaining({ path: 'currentPassword' })])
    const wrong = await send('PATCH', `/users/${user.id}`, JSON.stringify({ password: 'N3w-passw0rd!', currentPassword: 'not-it' }), { authorization: here })
    expect(wrong.status, wrong.text).toBe(400)
    const viaGraphql = await gql(JSON.stringify({ query: `mutation { updateUser(id: "${user.id}", data: { password: "N3w-passw0rd!" }) { id } }` }), { authorization: here })
    expect(viaGraphql.body.errors?.length, viaGraphql.text).toBeGreaterThan(0)
    // GraphQL takes currentPassword too (a virtual field of Users), and checks it the same way.
    const wrongViaGraphql = await gql(
      JSON.stringify({ query: `mutation { updateUser(id: "${user.id}", data: { password: "N3w-passw0rd!", currentPassword: "not-it" }) { id } }` }),
      { authorization: here },
    )
    expect(wrongViaGraphql.body.errors?.[0]?.extensions?.error?.details?.issues, wrongViaGraphql.text).toEqual([expect.objectContaining({ path: 'currentPassword' })])
    await expect(payload.login({ collection: 'users', data: { email: user.email, password: PASSWORD } })).resolves.toHaveProperty('token')

    const changed = await send('PATCH', `/users/${user.id}`, JSON.stringify({ password: 'N3w-passw0rd!', currentPassword: PASSWORD }), { authorization: here })
    expect(changed.status, changed.text).toBe(200)
    expect(await me(here)).toBe(user.id)
    expect(await me(elsewhere)).toBeUndefined()
    await expect(payload.login({ collection: 'users', data: { email: user.email, password: 'N3w-passw0rd!' } })).resolves.toHaveProperty('token')
  }, 300_000)

  it('an admin sets another account’s password without knowing it', async () => {
    const user = (await fixtures(payload).user({ password: PASSWORD })) as User
    const reset = await send('PATCH', `/users/${user.id}`, JSON.stringify({ password: 'Adm1n-set-passw0rd' }), people.admin.auth)
    expect(reset.status, reset.text).toBe(200)
  })
})

describe('cached reads never reach the wrong principal (item 2)', () => {
  const principals = ['owner', 'collaborator', 'stranger', 'producer', 'admin', 'worker', 'anonymous']
  const viaRest = async (as: string) => (await call(rest.GET, `/api/projects/${ids.project}?depth=0`, { headers: people[as].auth })).status === 200
  const viaV1 = async (as: string) => {
    const answer = await call(v1Project, `/api/v1/projects/${ids.project}`, { headers: people[as].auth }, { id: ids.project })
    return answer.status === 200 && answer.body?.id === ids.project
  }
  const v1 = (as: string) => v1Project(new Request(`${SERVER_URL}/api/v1/projects/${ids.project}`, { headers: people[as].auth }), { params: Promise.resolve({ id: ids.project }) })

  it.each(principals)('GET /api/v1/projects/{id} as %s answers as REST does, cold and after every other principal warmed the cache', async (as) => {
    const { getCache } = await import('../../../src/lib/cache')
    getCache().clear()
    const expected = await viaRest(as)
    // Cold.
    expect(await viaV1(as)).toBe(expected)
    // Warm: every principal (the owner first) reads, then this one again.
    getCache().clear()
    for (const other of principals) await v1(other).then((response) => response.text())
    expect(await viaV1(as)).toBe(expected)
    expect(await viaV1(as)).toBe(expected)
  })

  it('the worker key of an owner does not get the owner’s cached project or character', async () => {
    const { getCache } = await import('../../../src/lib/cache')
    const { characterService } = await import('../../../src/services/characterService')
    const make = fixtures(payload)
    const apiKey = randomBytes(16).toString('hex')
    const owner = (await make.user({ password: PASSWORD, enableAPIKey: true, apiKey })) as User
    const project = await make.project(owner.id)
    const character = await make.character(project.id)
    const ownerAuth = { authorization: `JWT ${(await payload.login({ collection: 'users', data: { email: owner.email, password: PASSWORD } })).token}` }
    const keyAuth = { authorization: `users API-Key ${apiKey}` }
    getCache().clear()
    const read = (auth: Record<string, string>) =>
      call(v1Project, `/api/v1/projects/${project.id}`, { headers: auth }, { id: project.id }).then((answer) => answer.status)
    expect(await read(ownerAuth)).toBe(200)
    expect(await read(ownerAuth)).toBe(200)
    expect(await read(keyAuth)).not.toBe(200)
    const { executeAuthStrategies } = await import('payload')
    const actorOf = async (auth: Record<string, string>) => ({ payload, user: (await executeAuthStrategies({ headers: new Headers(auth), payload })).user as never })
    await expect(characterService.findById({ actor: await actorOf(ownerAuth), id: character.id })).resolves.toMatchObject({ id: character.id })
    await expect(characterService.findById({ actor: await actorOf(keyAuth), id: character.id })).rejects.toThrow()
  })
})
