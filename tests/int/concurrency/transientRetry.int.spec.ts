import type { Payload } from 'payload'

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import type { User } from '../../../src/payload-types'

import { clearFaults, injectFault } from '../../../src/db/faultInjection'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, findings 2 and 3, on the fault-injection seam (src/db/faultInjection.ts): MongoDB aborts a transaction
 * that loses a write race with WriteConflict (112, TransientTransactionError), and reports a duplicate key met inside
 * a transaction the same way. Payload does not retry either: both answered 500. Now the operation runs again (a
 * duplicate then surfaces as the 400 of its unique field) and only a race that outlasts the retries answers 409.
 */
let payload: Payload
let cleanup: () => Promise<void>
let producer: User
let token: string
type Handler = (request: Request, context: { params: Promise<Record<string, unknown>> }) => Promise<Response>
let rest: { POST: Handler; PATCH: Handler }
let graphql: Handler

beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('transient-retry'))
  producer = (await fixtures(payload).user({ password: 'Passw0rd!secret' })) as User
  token = (await payload.login({ collection: 'users', data: { email: producer.email, password: 'Passw0rd!secret' } })).token!
  const { default: config } = await import('@payload-config')
  const routes = await import('@payloadcms/next/routes')
  const { withTransientRetry } = await import('../../../src/http/transientRetry')
  const { toGraphQLErrorResponse } = await import('../../../src/errors')
  // The compositions of src/app/(payload)/api/[...slug]/route.ts and api/graphql/route.ts (the parts under test).
  rest = { POST: withTransientRetry(routes.REST_POST(config) as Handler) as Handler, PATCH: withTransientRetry(routes.REST_PATCH(config) as Handler) as Handler }
  graphql = withTransientRetry(routes.GRAPHQL_POST(config) as Handler, { renderError: toGraphQLErrorResponse, failed: () => true }) as Handler
}, 240_000)
afterEach(() => clearFaults())
afterAll(async () => cleanup?.())

const slugParams = (path: string) => ({ params: Promise.resolve({ slug: path.split('/').filter(Boolean).slice(1) }) })
async function call(handler: Handler, path: string, method: string, body: unknown) {
  const response = await handler(
    new Request(`http://localhost:3000${path}`, { method, headers: { 'content-type': 'application/json', authorization: `JWT ${token}` }, body: JSON.stringify(body) }),
    slugParams(path),
  )
  return { status: response.status, body: await response.json() }
}
const projectsTitled = async (title: string) => (await payload.count({ collection: 'projects', where: { title: { equals: title } } })).totalDocs

describe('a WriteConflict', () => {
  it('on a REST create is retried: 201 and one project, not 500', async () => {
    const conflict = injectFault({ collection: 'projects', command: ['insertOne', 'insertMany'], action: 'writeConflict' })
    const answer = await call(rest.POST, '/api/projects', 'POST', { title: 'Raced create', episodeCount: 3 })
    expect(conflict.hits).toBe(1)
    expect(answer.status).toBe(201)
    expect(await projectsTitled('Raced create')).toBe(1)
  })

  it('on a REST update is retried: the edit lands once', async () => {
    const project = await fixtures(payload).project(producer.id, { title: 'Before edit' })
    const conflict = injectFault({ collection: 'projects', command: 'findOneAndUpdate', action: 'writeConflict' })
    const answer = await call(rest.PATCH, `/api/projects/${project.id}`, 'PATCH', { title: 'After edit' })
    expect(conflict.hits).toBe(1)
    expect(answer.status).toBe(200)
    expect((await payload.findByID({ collection: 'projects', id: project.id })).title).toBe('After edit')
  })

  it('on a GraphQL mutation is retried', async () => {
    const conflict = injectFault({ collection: 'projects', command: ['insertOne', 'insertMany'], action: 'writeConflict' })
    const answer = await call(graphql, '/api/graphql', 'POST', { query: 'mutation { createProject(data: { title: "Raced gql", episodeCount: 2 }) { id } }' })
    expect(conflict.hits).toBe(1)
    expect(answer.body.errors).toBeUndefined()
    expect(answer.body.data.createProject.id).toBeTruthy()
    expect(await projectsTitled('Raced gql')).toBe(1)
  })

  it('on a Local API write (services, the worker) is retried', async () => {
    const conflict = injectFault({ collection: 'projects', command: ['insertOne', 'insertMany'], action: 'writeConflict' })
    await fixtures(payload).project(producer.id, { title: 'Raced local' })
    expect(conflict.hits).toBe(1)
    expect(await projectsTitled('Raced local')).toBe(1)
  })

  it('that outlasts the retries answers 409 with a message, not 500', async () => {
    injectFault({ collection: 'projects', command: ['insertOne', 'insertMany'], action: 'writeConflict', times: 100 })
    const answer = await call(rest.POST, '/api/projects', 'POST', { title: 'Always raced', episodeCount: 3 })
    expect(answer.status).toBe(409)
    expect(answer.body.error).toMatchObject({ status: 409, code: 'CONFLICT' })
    const local = await fixtures(payload)
      .project(producer.id, { title: 'Always raced' })
      .catch((err) => err)
    expect(local.status).toBe(409)
    expect(await projectsTitled('Always raced')).toBe(0)
  })
})

describe('a duplicate key reported as WriteConflict (112) inside a transaction', () => {
  it('answers the unique field’s 400 on REST (user email), not 500', async () => {
    const email = 'raced@example.test'
    // The racer's account lands after this create's uniqueness check and before its insert.
    const taken = injectFault({
      collection: 'users',
      command: ['insertOne', 'insertMany'],
      action: 'duplicateKeyAsWriteConflict',
      before: async () => void (await payload.db.connection.db!.collection('users').insertOne({ email, createdAt: new Date(), updatedAt: new Date() })),
    })
    const answer = await call(rest.POST, '/api/users', 'POST', { email, password: 'Passw0rd!secret' })
    expect(taken.hits).toBe(1)
    expect(answer.status).toBe(400)
    expect(JSON.stringify(answer.body)).toContain('email')
    expect((await payload.count({ collection: 'users', where: { email: { equals: email } } })).totalDocs).toBe(1)
  })

  it('answers 400 on the field for an explicit episode number a racer took', async () => {
    const project = await fixtures(payload).project(producer.id)
    injectFault({
      collection: 'episodes',
      command: ['insertOne', 'insertMany'],
      action: 'duplicateKeyAsWriteConflict',
      before: async () => void (await fixtures(payload).episode(project.id, 4)),
    })
    const answer = await call(rest.POST, '/api/episodes', 'POST', { project: project.id, episodeNumber: 4, title: 'Twin' })
    expect(answer.status).toBe(400)
    expect(JSON.stringify(answer.body)).toContain('episodeNumber')
    expect((await payload.count({ collection: 'episodes', where: { project: { equals: project.id } } })).totalDocs).toBe(1)
  })
})
