import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { type JsonResponse, requestJson } from '../../../helpers/http'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * The worker API over real HTTP against the built app: a non-admin owner enqueues and cancels, a worker with a real
 * API key claims, heartbeats, completes and fails; strangers and non-holders are refused.
 */
let app: RunningApp
let owner: Person, stranger: Person
let adminToken: string
let project: { id: string }, foreignEpisode: { id: string }
const workerKey = `key-${randomBytes(16).toString('hex')}`
const asWorker = { authorization: `users API-Key ${workerKey}` }
const v1 = (path: string) => `${app.url}/api/v1${path}`

const worker = (path: string, body: unknown) => requestJson(v1(path), { method: 'POST', headers: asWorker, body })
const as = (person: Person, path: string, body: unknown) => requestJson(v1(path), { method: 'POST', token: person.token, body })
const expectStatus = (response: JsonResponse, status: number) => expect(response.status, JSON.stringify(response.body)).toBe(status)

beforeAll(async () => {
  app = await startApp('api_v1_tasks', {
    RATE_LIMITS: testRateLimits,
    // Retries at once (no backoff) so a failed task is claimable again within the test.
    TASK_RETRY_POLICIES: JSON.stringify({ image_generation: { maxRetries: 1, baseDelayMs: 0 } }),
  })
  const users = await people(app)
  adminToken = users.admin.token
  owner = await users.person('owner')
  stranger = await users.person('stranger')
  const created = await requestJson(`${app.url}/api/users`, {
    method: 'POST',
    token: users.admin.token,
    body: { email: `worker-${Date.now()}@example.test`, password: 'Passw0rd!secret', name: 'Worker', enableAPIKey: true, apiKey: workerKey },
  })
  expectStatus(created, 201)
  project = await createDoc(app, owner, 'projects', { title: 'Harbour Lights', genre: 'drama' })
  const foreign = await createDoc(app, stranger, 'projects', { title: 'Not yours', genre: 'drama' })
  foreignEpisode = await createDoc(app, stranger, 'episodes', { project: foreign.id, episodeNumber: 1, title: 'Theirs' })
})
afterAll(async () => app?.stop())

describe('POST /api/v1/tasks', () => {
  it('enqueues for members (201), hides the project from strangers (404) and refuses foreign references (400, without naming their project)', async () => {
    const created = await as(owner, '/tasks', { project: project.id, taskType: 'script_generation', priority: 4 })
    expectStatus(created, 201)
    expect(created.body).toMatchObject({ status: 'queued', priority: 4, project: project.id })
    expectStatus(await as(stranger, '/tasks', { project: project.id, taskType: 'script_generation' }), 404)
    const foreign = await as(owner, '/tasks', { project: project.id, taskType: 'script_generation', episode: foreignEpisode.id })
    expectStatus(foreign, 400)
    expect(JSON.stringify(foreign.body)).not.toMatch(/belongs to another project \(/)
    expectStatus(await as(owner, '/tasks', { project: project.id, taskType: 'teleport' }), 400)
    expectStatus(await worker('/tasks/claim', { workerId: 'w', types: ['script_generation'] }), 200)
  })
})

describe('the worker cycle', () => {
  it('claims in queue order, answers 204 when empty, and only the holder heartbeats and completes', async () => {
    const low = (await as(owner, '/tasks', { project: project.id, taskType: 'image_generation', priority: 2 })).body
    const high = (await as(owner, '/tasks', { project: project.id, taskType: 'image_generation', priority: 5 })).body
    expectStatus(await as(owner, '/tasks/claim', { workerId: 'person' }), 403)

    const first = await worker('/tasks/claim', { workerId: 'w1', types: ['image_generation'] })
    expectStatus(first, 200)
    expect(first.body).toMatchObject({ id: high.id, status: 'processing', worker: { workerId: 'w1' }, attempt: 1 })
    expect(Date.parse(first.body.leaseExpiresAt)).toBeGreaterThan(Date.now())
    expect((await worker('/tasks/claim', { workerId: 'w2', types: ['image_generation'] })).body.id).toBe(low.id)
    const empty = await fetch(v1('/tasks/claim'), { method: 'POST', headers: { ...asWorker, 'content-type': 'application/json' }, body: '{"workerId":"w3","types":["image_generation"]}' })
    expect(empty.status).toBe(204)
    expect(await empty.text()).toBe('')

    expectStatus(await worker(`/tasks/${high.id}/heartbeat`, { workerId: 'w2', attempt: 1 }), 409)
    // The attempt is required: without it a result could land on a newer attempt than the sender's (docs/QUEUE.md).
    expectStatus(await worker(`/tasks/${high.id}/heartbeat`, { workerId: 'w1' }), 400)
    const beat = await worker(`/tasks/${high.id}/heartbeat`, { workerId: 'w1', attempt: 1, progress: { percentage: 60, currentStep: 'upscaling' } })
    expectStatus(beat, 200)
    expect(beat.body.cancelRequested).toBe(false)
    expectStatus(await worker(`/tasks/${high.id}/complete`, { workerId: 'w2', attempt: 1, output: {} }), 409)
    const done = await worker(`/tasks/${high.id}/complete`, { workerId: 'w1', attempt: 1, output: { result: { ok: 1 }, metrics: { cost: 0.2, tokensUsed: 5 } } })
    expectStatus(done, 200)
    expect(done.body).toMatchObject({ status: 'completed', output: { metrics: { cost: 0.2, tokensUsed: 5 } } })
    expect(done.body.output.metrics.processingTime).toBeGreaterThanOrEqual(0)
    expect(done.body.completedAt).toEqual(expect.any(String))
    expectStatus(await worker(`/tasks/${high.id}/complete`, { workerId: 'w1', attempt: 1, output: {} }), 409)

    const failed = await worker(`/tasks/${low.id}/fail`, { workerId: 'w2', attempt: 1, error: { code: 'UPSTREAM', message: 'busy' } })
    expectStatus(failed, 200)
    expect(failed.body).toMatchObject({ status: 'queued', error: { code: 'UPSTREAM', retryCount: 1 } })
    expect((await worker('/tasks/claim', { workerId: 'w2', types: ['image_generation'] })).body).toMatchObject({ id: low.id, attempt: 2 })
    // A slot of the same worker still on attempt 1 can neither renew nor settle attempt 2.
    expectStatus(await worker(`/tasks/${low.id}/heartbeat`, { workerId: 'w2', attempt: 1, progress: { percentage: 99 } }), 409)
    expectStatus(await worker(`/tasks/${low.id}/complete`, { workerId: 'w2', attempt: 1, output: {} }), 409)
    expect((await requestJson(`${app.url}/api/tasks/${low.id}?depth=0`, { token: owner.token })).body).toMatchObject({ status: 'processing', lease: { attempt: 2 }, progress: { percentage: 0 } })
    const final = await worker(`/tasks/${low.id}/fail`, { workerId: 'w2', attempt: 2, error: { code: 'UPSTREAM', message: 'still busy' } })
    expect(final.body.status).toBe('failed')
    expectStatus(await worker(`/tasks/${low.id}/fail`, { workerId: 'w2', attempt: 2, error: { code: 'X', message: 'x' } }), 409)
    expectStatus(await worker(`/tasks/${low.id}/fail`, { workerId: 'w2', attempt: 2 }), 400)
  })

  it('cancels: members only; queued at once, processing at the next heartbeat', async () => {
    const queued = (await as(owner, '/tasks', { project: project.id, taskType: 'video_generation' })).body
    expectStatus(await as(stranger, `/tasks/${queued.id}/cancel`, {}), 404)
    expectStatus(await worker(`/tasks/${queued.id}/cancel`, {}), 403)
    const cancelled = await as(owner, `/tasks/${queued.id}/cancel`, { reason: 'storyboard changed' })
    expectStatus(cancelled, 200)
    expect(cancelled.body).toMatchObject({ status: 'cancelled', error: { message: 'storyboard changed' } })
    expectStatus(await as(owner, `/tasks/${queued.id}/cancel`, {}), 409)

    const running = (await as(owner, '/tasks', { project: project.id, taskType: 'video_generation' })).body
    expect((await worker('/tasks/claim', { workerId: 'w9', types: ['video_generation'] })).body.id).toBe(running.id)
    expect((await as(owner, `/tasks/${running.id}/cancel`, {})).body.status).toBe('processing')
    expect((await worker(`/tasks/${running.id}/heartbeat`, { workerId: 'w9', attempt: 1 })).body).toEqual({ leaseExpiresAt: null, cancelRequested: true })
    expectStatus(await worker(`/tasks/${running.id}/complete`, { workerId: 'w9', attempt: 1, output: {} }), 409)
  })
})

describe('Payload REST on tasks', () => {
  it('answers 409 for an illegal status change and drops engine-owned fields', async () => {
    const task = (await as(owner, '/tasks', { project: project.id, taskType: 'audio_generation' })).body
    const patch = (body: unknown) => requestJson(`${app.url}/api/tasks/${task.id}`, { method: 'PATCH', token: owner.token, body })
    const engineFields = await patch({ completedAt: '2020-01-01T00:00:00.000Z', worker: { startedAt: '2020-01-01T00:00:00.000Z' } })
    expectStatus(engineFields, 200)
    expect(engineFields.body.doc.completedAt ?? null).toBeNull()
    expect(engineFields.body.doc.worker?.startedAt ?? null).toBeNull()
    // A member's status is dropped (the engine's field, docs/ACCESS.md); an admin's repair follows the machine.
    const dropped = await patch({ status: 'completed' })
    expectStatus(dropped, 200)
    expect(dropped.body.doc.status).toBe('queued')
    const repair = (body: unknown) => requestJson(`${app.url}/api/tasks/${task.id}`, { method: 'PATCH', token: adminToken, body })
    expectStatus(await repair({ status: 'completed' }), 409)
    expectStatus(await repair({ status: 'cancelled' }), 200)
    expectStatus(await repair({ status: 'queued' }), 409)
  })

  it('documents the worker endpoints in the OpenAPI document', async () => {
    const document = (await requestJson(v1('/openapi.json'))).body
    for (const path of ['/api/v1/tasks/claim', '/api/v1/tasks/{id}/heartbeat', '/api/v1/tasks/{id}/complete', '/api/v1/tasks/{id}/fail', '/api/v1/tasks/{id}/cancel']) {
      expect(document.paths[path]?.post, path).toBeDefined()
    }
    expect(document.paths['/api/v1/tasks'].post).toBeDefined()
  })
})
