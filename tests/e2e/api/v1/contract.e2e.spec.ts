import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'

import Ajv2020 from 'ajv/dist/2020'
import addFormats from 'ajv-formats'
import openapiTS, { astToString } from 'openapi-typescript'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { openSse } from '../../../helpers/sse'
import { typeCheck } from '../../../helpers/typeCheck'
import { root } from '../../../setup/appBuild'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * /api/v1 as an independently written client sees it, from /api/v1/openapi.json alone: types generated with
 * openapi-typescript and a typed openapi-fetch call of every operation compile, and every response of a scenario
 * (as a non-admin owner, plus the error cases) has a documented status and validates against the document with ajv.
 * The operations are read from the document, so routes added later are covered as soon as they are documented.
 */
type Operation = {
  operationId: string
  /** `[]` on an operation that needs no credentials. */
  security?: unknown[]
  parameters?: { name: string; in: string; required?: boolean }[]
  requestBody?: { required?: boolean }
  responses: Record<string, { content?: Record<string, { schema: object }>; headers?: Record<string, unknown> }>
}
type Document = { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, object> } }

let app: RunningApp
let document: Document
let owner: Person, collaborator: Person, producer: Person
let admin: Person
const workerKey = `key-${Date.now()}-contract`
const asWorker = { authorization: `users API-Key ${workerKey}` }
const ids: Record<string, string> = {}
const missingId = '0123456789abcdef01234567'

const streamsEvents = (operation: Operation) =>
  Object.values(operation.responses).some((response) => response.content && 'text/event-stream' in response.content)

/** The media types of an operation's success answer when it is a download (a script, a CSV), not JSON. */
const downloadTypes = (operation: Operation) => {
  const success = Object.entries(operation.responses).find(([status, response]) => status.startsWith('2') && response.content)?.[1]
  const types = Object.keys(success?.content ?? {})
  return types.length > 0 && !types.includes('application/json') && !types.includes('text/event-stream') ? types : undefined
}

const operations = () =>
  Object.entries(document.paths).flatMap(([route, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ route, method: method.toUpperCase(), operation })),
  )

beforeAll(async () => {
  app = await startApp('api_contract', { RATE_LIMITS: testRateLimits })
  const users = await people(app)
  admin = users.admin
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  producer = await users.person('producer')
  for (const [id, body] of [
    [producer.id, { role: 'producer' }],
  ] as const) {
    const changed = await requestJson(`${app.url}/api/users/${id}`, { method: 'PATCH', token: admin.token, body })
    if (changed.status !== 200) throw new Error(`PATCH user: ${changed.status} ${JSON.stringify(changed.body)}`)
  }
  const worker = await requestJson(`${app.url}/api/users`, {
    method: 'POST',
    token: admin.token,
    body: { email: `worker-${Date.now()}@example.test`, password: 'Passw0rd!secret', name: 'Worker', enableAPIKey: true, apiKey: workerKey },
  })
  if (worker.status !== 201) throw new Error(`worker: ${worker.status} ${JSON.stringify(worker.body)}`)
  const project = await createDoc(app, owner, 'projects', { title: 'Contract', genre: 'sci-fi', projectSettings: { aspectRatio: '4:3' } })
  const episode = await createDoc(app, owner, 'episodes', { project: project.id, title: 'Pilot' })
  await createDoc(app, owner, 'scenes', { project: project.id, episode: episode.id, title: 'Opening' })
  await createDoc(app, owner, 'characters', { project: project.id, name: 'Ada' })
  const task = await createDoc(app, owner, 'tasks', { project: project.id, episode: episode.id, taskType: 'image_generation' })
  Object.assign(ids, { projects: project.id, episodes: episode.id, tasks: task.id })
  document = (await requestJson(`${app.url}/api/v1/openapi.json`)).body
})
afterAll(async () => app?.stop())

describe('every documented response validates against the document', () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const validators = new Map<string, ReturnType<typeof ajv.compile>>()

  function expectDocumented(label: string, operation: Operation, response: { status: number; body: unknown; headers: Headers }) {
    const documented = operation.responses[String(response.status)]
    expect(documented, `${label} answered ${response.status}, which the document does not list: ${JSON.stringify(response.body)}`).toBeDefined()
    const schema = documented.content?.['application/json']?.schema
    expect(schema, `${label} ${response.status} has no JSON schema`).toBeDefined()
    const key = `${operation.operationId}:${response.status}`
    if (!validators.has(key)) {
      if (!ajv.getSchema('openapi')) ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi')
      const refd = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi#/components/'))
      validators.set(key, ajv.compile(refd))
    }
    const validate = validators.get(key)!
    expect(validate(response.body), `${label} ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(response.body).slice(0, 500)}`).toBe(true)
    if (documented.headers?.['Retry-After']) expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
  }

  /** A path with its parameters filled: the scenario's ids, or an id that does not exist. */
  const fill = (route: string, id: (resource: string) => string) =>
    route.replace(/\{(\w+)\}/g, () => id(route.split('/')[3]))
  const bodyFor = (operation: Operation) => (operation.requestBody ? { userId: collaborator.id } : undefined)

  it('for the owner, signed in with a JWT', async () => {
    // Adds before removes, so the DELETE finds the collaborator the POST added.
    const ordered = operations().sort((a, b) => (a.method === 'DELETE' ? 1 : 0) - (b.method === 'DELETE' ? 1 : 0))
    for (const { route, method, operation } of ordered) {
      const url = `${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}`
      if (streamsEvents(operation)) {
        // An event stream never ends: it must open (200, text/event-stream), then the client leaves.
        const stream = await openSse(url, { token: owner.token })
        expect(stream.status, `${method} ${route}: ${JSON.stringify(stream.body)}`).toBe(200)
        expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/)
        stream.close()
        continue
      }
      const download = downloadTypes(operation)
      if (download && method === 'GET') {
        // A download answers its documented type; its errors are JSON like every other (the error cases below).
        const response = await fetch(url, { headers: { authorization: `JWT ${owner.token}` } })
        expect(response.status, `${method} ${route}`).toBe(200)
        expect(download.some((type) => response.headers.get('content-type')?.startsWith(type)), `${method} ${route}: ${response.headers.get('content-type')}`).toBe(true)
        await response.arrayBuffer()
        continue
      }
      const response = await requestJson(url, { method, token: owner.token, body: bodyFor(operation) })
      expectDocumented(`${method} ${route}`, operation, response)
    }
  })

  it('for a worker (API key) on every operation: each answer is documented', async () => {
    const answers = await Promise.all(
      operations().map(async ({ route, method, operation }) => {
        const url = `${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}`
        return { route, method, operation, response: await requestJson(url, { method, headers: asWorker, body: bodyFor(operation) }) }
      }),
    )
    // Every undocumented status at once, so the document can be fixed in one go.
    expect(answers.filter(({ operation, response }) => !operation.responses[String(response.status)]).map(({ method, route, response }) => `${method} ${route} ${response.status}`)).toEqual([])
    for (const { route, method, operation, response } of answers) {
      // The event stream answers a worker before any stream starts (JSON): workers read no project.
      if (streamsEvents(operation)) expect(response.status, `${method} ${route}`).toBe(404)
      expectDocumented(`worker ${method} ${route}`, operation, response)
    }
  })

  it('for the answers a client acts on: a task through its life, a prompt execution, choices and message paging', async () => {
    const operation = (method: string, route: string) => document.paths[route][method]
    const call = async (method: string, route: string, path: string, init: { token?: string; headers?: Record<string, string>; body?: unknown }) => {
      const response = await requestJson(`${app.url}${path}`, { method: method.toUpperCase(), ...init })
      expectDocumented(`${method.toUpperCase()} ${path}`, operation(method, route), response)
      return response
    }
    const project = ids.projects
    const created = await call('post', '/api/v1/tasks', '/api/v1/tasks', { token: owner.token, body: { project, taskType: 'script_generation' } })
    expect(created.status).toBe(201)
    expect(created.body.output?.result).toBeUndefined()
    const claimed = await call('post', '/api/v1/tasks/claim', '/api/v1/tasks/claim', { headers: asWorker, body: { workerId: 'contract-w1', types: ['script_generation'] } })
    expect(claimed.status).toBe(200)
    const held = claimed.body.id as string
    const attempt = claimed.body.attempt as number
    expect((await call('post', '/api/v1/tasks/{id}/heartbeat', `/api/v1/tasks/${held}/heartbeat`, { headers: asWorker, body: { workerId: 'contract-w1', attempt, progress: { percentage: 50 } } })).status).toBe(200)
    expect((await call('post', '/api/v1/tasks/{id}/fail', `/api/v1/tasks/${held}/fail`, { headers: asWorker, body: { workerId: 'contract-w1', attempt, error: { code: 'UPSTREAM', message: 'busy' } } })).status).toBe(200)
    expect((await call('post', '/api/v1/tasks/{id}/cancel', `/api/v1/tasks/${held}/cancel`, { token: owner.token, body: { reason: 'contract' } })).status).toBe(200)
    expect((await call('post', '/api/v1/tasks/{id}/retry', `/api/v1/tasks/${held}/retry`, { token: owner.token, body: {} })).status).toBe(201)

    const template = await createDoc(app, producer, 'prompt-templates', {
      name: 'Contract logline',
      template: 'A logline for {{title}}',
      variableDefs: [{ name: 'title', type: 'string', required: true }],
      model: 'anthropic/claude-sonnet-4',
    })
    const queued = await call('post', '/api/v1/prompt-templates/{id}/execute', `/api/v1/prompt-templates/${template.id}/execute`, {
      token: owner.token,
      body: { projectId: project, inputs: { title: 'Contract' } },
    })
    expect(queued.status).toBe(202)
    expect(queued.body.input.parameters).toMatchObject({ promptTemplateId: template.id })

    const session = await call('post', '/api/v1/sessions', '/api/v1/sessions', { token: owner.token, body: { project } })
    expect(session.status).toBe(201)
    // A choice without metadata: the answer leaves it out, and the document allows that.
    const offered = await call('post', '/api/v1/sessions/{id}/choices', `/api/v1/sessions/${session.body.id}/choices`, {
      token: owner.token,
      body: { choices: [{ choiceId: 'a', label: 'Dawn', action: 'pick' }, { choiceId: 'b', label: 'Dusk', action: 'pick', metadata: { mood: 'calm' } }] },
    })
    expect(offered.status).toBe(200)
    expect(offered.body.lastChoices[0]).not.toHaveProperty('metadata')
    expect((await call('post', '/api/v1/sessions/{id}/choices/{choiceId}', `/api/v1/sessions/${session.body.id}/choices/a`, { token: owner.token })).status).toBe(201)
    for (const content of ['one', 'two', 'three']) {
      await call('post', '/api/v1/sessions/{id}/messages', `/api/v1/sessions/${session.body.id}/messages`, { token: owner.token, body: { role: 'user', content } })
    }
    // The nextCursor of a page goes back as `before` unchanged: the same type on both sides of the document.
    const messages = operation('get', '/api/v1/sessions/{id}/messages')
    const before = messages.parameters?.find((parameter) => parameter.name === 'before') as { schema?: { type?: string } } | undefined
    expect(before?.schema?.type).toBe((document.components.schemas.SessionMessagePage as { properties: { nextCursor: { type: string[] } } }).properties.nextCursor.type[0])
    const seen: number[] = []
    let cursor: string | null = ''
    while (cursor !== null) {
      const page = await call('get', '/api/v1/sessions/{id}/messages', `/api/v1/sessions/${session.body.id}/messages?limit=2${cursor ? `&before=${cursor}` : ''}`, { token: owner.token })
      expect(page.status).toBe(200)
      seen.push(...page.body.docs.map((message: { seq: number }) => message.seq))
      cursor = page.body.nextCursor
    }
    expect(seen).toEqual([...seen].sort((a, b) => b - a))
    expect(seen.length).toBeGreaterThanOrEqual(4)
  })

  it('for the error cases: no credentials, an unknown id, a malformed id, an unknown query key, a body too large', async () => {
    for (const { route, method, operation } of operations()) {
      const label = `${method} ${route}`
      const hasId = route.includes('{')
      const isPublic = operation.security?.length === 0
      const cases = [
        // No credentials: 401, except on a public operation (which answers it as for anyone; its 4xx come below).
        isPublic
          ? requestJson(`${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}?unknown=1`, { method, body: bodyFor(operation) })
          : requestJson(`${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}`, { method, body: bodyFor(operation) }),
        // A server-owned argument named by the client is refused (400), never spread over the server's own.
        requestJson(`${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}?actor=x`, { method, token: owner.token, body: bodyFor(operation) }),
        ...(hasId
          ? [
              requestJson(`${app.url}${fill(route, () => missingId)}`, { method, token: collaborator.token, body: bodyFor(operation) }),
              requestJson(`${app.url}${fill(route, () => 'not-an-id')}`, { method, token: owner.token, body: bodyFor(operation) }),
            ]
          : []),
        ...(operation.requestBody
          ? [requestJson(`${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}`, { method, token: owner.token, body: { userId: 'x'.repeat(1_100_000) } })]
          : []),
      ]
      for (const response of await Promise.all(cases)) {
        expect(response.status, label).toBeGreaterThanOrEqual(400)
        expectDocumented(label, operation, response)
      }
      const withActor = await cases[1]
      expect(withActor.status, label).toBe(400)
      expect(withActor.body.error.details.issues.map((issue: { path: string }) => issue.path), label).toContain('actor')
    }
  })

  it('answers a method a path does not serve with a JSON 405 and Allow, and an unknown path with the error body', async () => {
    if (!ajv.getSchema('openapi')) ajv.addSchema({ $id: 'openapi', components: document.components }, 'openapi')
    const Error = ajv.compile({ $ref: 'openapi#/components/schemas/Error' })
    for (const route of Object.keys(document.paths)) {
      const served = Object.keys(document.paths[route]).map((method) => method.toUpperCase())
      const unserved = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].find((method) => !served.includes(method))!
      const response = await requestJson(`${app.url}${fill(route, (resource) => ids[resource] ?? missingId)}`, { method: unserved, token: owner.token })
      expect(response.status, `${unserved} ${route}`).toBe(405)
      expect(Error(response.body), JSON.stringify(response.body)).toBe(true)
      expect(response.body.error.code).toBe('METHOD_NOT_ALLOWED')
      expect(response.headers.get('allow')?.split(', ').sort()).toEqual(served.sort())
    }
    for (const method of ['GET', 'POST']) {
      const unknown = await requestJson(`${app.url}/api/v1/no-such-thing/42`, { method, token: owner.token })
      expect(unknown.status).toBe(404)
      expect(Error(unknown.body), JSON.stringify(unknown.body)).toBe(true)
      expect(unknown.body.error.code).toBe('NOT_FOUND')
    }
  })
})

describe('generated client types', () => {
  it('compile a typed openapi-fetch call of every operation', async () => {
    const types = astToString(await openapiTS(document as never))
    const calls = operations().map(({ route, method, operation }, index) => {
      const pathParams = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => `${p.name}: '${missingId}'`)
      // A required query parameter (GET /search's q) is an argument the typed call must pass too.
      const hasRequiredQuery = (operation.parameters ?? []).some((p) => p.in === 'query' && p.required)
      const params = [
        pathParams.length ? `path: { ${pathParams.join(', ')} }` : '',
        hasRequiredQuery ? `query: undefined as unknown as operations['${operation.operationId}']['parameters']['query']` : '',
      ].filter(Boolean)
      const init = [
        params.length ? `params: { ${params.join(', ')} }` : '',
        operation.requestBody?.required
          ? `body: undefined as unknown as NonNullable<operations['${operation.operationId}']['requestBody']>['content']['application/json']`
          : '',
      ].filter(Boolean)
      // Every documented success with a body: an operation may answer two (execute: 202 the task, 200 with ?wait=true).
      const successes = Object.keys(operation.responses).filter((status) => status.startsWith('2') && operation.responses[status].content)
      const success = successes.map((status) => {
        const contentType = Object.keys(operation.responses[status].content!)[0]
        return `operations['${operation.operationId}']['responses'][${status}]['content']['${contentType}']`
      })
      return [
        `const call${index} = await client.${method}('${route}'${init.length ? `, { ${init.join(', ')} }` : ''})`,
        `const data${index}: ${success.join(' | ')} | undefined = call${index}.data`,
        `void data${index}`,
      ].join('\n')
    })
    const dir = mkdtempSync(path.join(root, '.cache', 'contract-'))
    try {
      writeFileSync(path.join(dir, 'api.d.ts'), types)
      writeFileSync(
        path.join(dir, 'calls.ts'),
        [
          "import createClient from 'openapi-fetch'",
          "import type { operations, paths } from './api'",
          "const client = createClient<paths>({ baseUrl: 'http://localhost:3000' })",
          'export async function callEveryOperation() {',
          ...calls,
          '}',
        ].join('\n'),
      )
      const tsc = typeCheck(dir, 'calls.ts')
      expect(tsc.output, 'tsc on the generated client').toBe('')
      expect(tsc.status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('has a unique operationId for every operation', () => {
    const operationIds = operations().map(({ operation }) => operation.operationId)
    expect(new Set(operationIds).size).toBe(operationIds.length)
  })
})
