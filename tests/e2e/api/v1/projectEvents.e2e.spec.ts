import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../../helpers/app'
import { requestJson } from '../../../helpers/http'
import { invitationToken } from '../../../helpers/mail'
import { openSse, type SseEvent, type SseStream } from '../../../helpers/sse'
import { createDoc, people, type Person, testRateLimits } from './session'

/**
 * GET /api/v1/projects/{id}/events over real HTTP: two instances of the app on one database and the machine's
 * Redis, as behind a load balancer. Members watch on one instance while a worker (real API key) drives the task
 * through the other; strangers and workers are refused before any stream starts; a reconnect with Last-Event-ID
 * gets exactly what it missed; closed streams leave no Redis subscription behind.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
let a: RunningApp, b: RunningApp
let owner: Person, collaborator: Person, stranger: Person
let project: { id: string }
let redis: Redis
const workerKey = `key-${randomBytes(16).toString('hex')}`
const asWorker = { authorization: `users API-Key ${workerKey}` }
const streams: SseStream[] = []

const eventsUrl = (app: RunningApp, projectId = project.id) => `${app.url}/api/v1/projects/${projectId}/events`
const watch = async (app: RunningApp, person: Person, headers: Record<string, string> = {}) => {
  const stream = await openSse(eventsUrl(app), { token: person.token, headers })
  expect(stream.status, JSON.stringify(stream.body)).toBe(200)
  streams.push(stream)
  return stream
}
const worker = (path: string, body: unknown) => requestJson(`${a.url}/api/v1${path}`, { method: 'POST', headers: asWorker, body })
const enqueue = async (taskType = 'image_generation') => {
  const created = await requestJson(`${a.url}/api/v1/tasks`, { method: 'POST', token: owner.token, body: { project: project.id, taskType } })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  return created.body as { id: string }
}
const summary = (events: SseEvent[]) =>
  events.map(({ event, data }) => `${event} ${data.taskId?.slice(-4)} ${data.status ?? data.progress?.percentage ?? ''}`.trim())

beforeAll(async () => {
  const env = { REDIS_URL: redisUrl, RATE_LIMITS: testRateLimits, SSE_HEARTBEAT_MS: '500' }
  a = await startApp('project_events', env)
  b = await startApp('project_events', env, { databaseUrl: a.databaseUrl })
  redis = new Redis(redisUrl)
  const users = await people(a)
  owner = await users.person('owner')
  collaborator = await users.person('collaborator')
  stranger = await users.person('stranger')
  const workerUser = await requestJson(`${a.url}/api/users`, {
    method: 'POST',
    token: users.admin.token,
    body: { email: `worker-${Date.now()}@example.test`, password: 'Passw0rd!secret', name: 'Worker', enableAPIKey: true, apiKey: workerKey },
  })
  expect(workerUser.status).toBe(201)
  project = await createDoc(a, owner, 'projects', { title: 'Night Shift', genre: 'drama' })
  const invited = await requestJson(`${a.url}/api/v1/projects/${project.id}/invitations`, { method: 'POST', token: owner.token, body: { email: collaborator.email } })
  expect(invited.status).toBe(202)
  const pending = await requestJson(`${a.url}/api/v1/invitations`, { token: collaborator.token })
  const invitation = pending.body.docs.find((doc: { project: { id: string } }) => doc.project.id === project.id)
  expect((await requestJson(`${a.url}/api/v1/invitations/${invitation.id}/accept`, { method: 'POST', token: collaborator.token, body: { token: invitationToken(invitation.id, a.outboxDir) } })).status).toBe(200)
})
afterAll(async () => {
  streams.forEach((stream) => stream.close())
  redis?.disconnect()
  await Promise.all([a?.stop(), b?.stop()])
})

describe('who may subscribe', () => {
  it('refuses with a JSON error before any stream: no credentials 401, a stranger or a worker key 404, a bad Last-Event-ID 400', async () => {
    const anonymous = await openSse(eventsUrl(b))
    expect([anonymous.status, anonymous.body?.error?.code]).toEqual([401, 'UNAUTHORIZED'])
    const foreign = await openSse(eventsUrl(b), { token: stranger.token })
    expect([foreign.status, foreign.body?.error?.code]).toEqual([404, 'NOT_FOUND'])
    const missing = await openSse(eventsUrl(b, '0123456789abcdef01234567'), { token: owner.token })
    expect(missing.status).toBe(404)
    // A worker's key reads only what its tasks need (least rights): the project is hidden from it like from a stranger.
    const workerStream = await openSse(eventsUrl(b), { headers: asWorker })
    expect([workerStream.status, workerStream.body?.error?.code]).toEqual([404, 'NOT_FOUND'])
    const badId = await openSse(eventsUrl(b), { token: owner.token, headers: { 'last-event-id': 'yesterday' } })
    expect(badId.status).toBe(400)
    expect(badId.body.error.details.issues[0].path).toBe('Last-Event-ID')
    for (const refused of [anonymous, foreign, workerStream, badId]) expect(refused.headers.get('content-type')).toMatch(/^application\/json/)
  })
})

describe('a task seen live by two members on the other instance', () => {
  it('delivers enqueue → claim → progress → complete in order, with ids, and heartbeat comments', async () => {
    const ownerStream = await watch(b, owner)
    const collaboratorStream = await watch(b, collaborator)
    expect(ownerStream.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const task = await enqueue()
    const claimed = await worker('/tasks/claim', { workerId: 'w1', types: ['image_generation'] })
    expect(claimed.body.id).toBe(task.id)
    expect((await worker(`/tasks/${task.id}/heartbeat`, { workerId: 'w1', attempt: 1, progress: { percentage: 40, currentStep: 'denoising' } })).status).toBe(200)
    expect((await worker(`/tasks/${task.id}/complete`, { workerId: 'w1', attempt: 1, output: { metrics: { cost: 0.02, tokensUsed: 10 } } })).status).toBe(200)

    const short = task.id.slice(-4)
    const expected = [`task.status ${short} queued`, `task.status ${short} processing`, `task.progress ${short} 40`, `task.status ${short} completed`]
    for (const stream of [ownerStream, collaboratorStream]) {
      const events = await stream.take(4)
      expect(summary(events)).toEqual(expected)
      expect(events[1].data).toMatchObject({ workerId: 'w1', attempt: 1, taskType: 'image_generation' })
      expect(events[2].data.progress).toEqual({ percentage: 40, currentStep: 'denoising' })
      const ids = events.map((event) => event.id!)
      expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true)
      expect(new Set(ids).size).toBe(4)
    }
    // Both members saw the same ids: one history for the project, whichever instance published.
    await new Promise((resolve) => setTimeout(resolve, 1200))
    expect(ownerStream.comments.some((comment) => comment.startsWith('heartbeat'))).toBe(true)
  })
})

describe('reconnecting', () => {
  it('with Last-Event-ID replays exactly the missed events, then goes on live', async () => {
    const first = await watch(a, collaborator)
    const task = await enqueue()
    const [queued] = await first.take(1)
    expect(queued.data).toMatchObject({ taskId: task.id, status: 'queued' })
    first.close()

    // Missed while away: the claim and the final failure.
    await worker('/tasks/claim', { workerId: 'w2', types: ['image_generation'] })
    expect((await worker(`/tasks/${task.id}/fail`, { workerId: 'w2', attempt: 1, error: { code: 'BAD_PROMPT', message: 'refused' }, retryable: false })).status).toBe(200)

    const resumed = await watch(b, collaborator, { 'last-event-id': queued.id! })
    const later = await enqueue('script_generation')
    const events = await resumed.take(3)
    const short = task.id.slice(-4)
    expect(summary(events)).toEqual([`task.status ${short} processing`, `task.status ${short} failed`, `task.status ${later.id.slice(-4)} queued`])
    expect(events[1].data.reason).toBe('refused')

    // The query parameter works the same for clients that cannot set the header.
    const viaQuery = await openSse(`${eventsUrl(a)}?lastEventId=${encodeURIComponent(events[0].id!)}`, { token: owner.token })
    streams.push(viaQuery)
    expect(summary(await viaQuery.take(2))).toEqual(summary(events.slice(1)))
  })

  it('ends the stream of a collaborator removed from the project, with event: revoked', async () => {
    const stream = await watch(b, collaborator)
    const removed = await requestJson(`${a.url}/api/v1/projects/${project.id}/collaborators`, {
      method: 'DELETE',
      token: owner.token,
      body: { userId: collaborator.id },
    })
    expect(removed.status).toBe(200)
    const revoked = await stream.next(5_000)
    expect(revoked.event).toBe('revoked')
    await expect(stream.next(2_000)).rejects.toThrow(/ended/)
    expect((await openSse(eventsUrl(b), { token: collaborator.token })).status).toBe(404)
  })

  it('leaves no Redis subscription behind once every stream of the project closed', async () => {
    const channel = `events:live:${project.id}`
    const subscribers = async () => Number(((await redis.pubsub('NUMSUB', channel)) as [string, number])[1])
    expect(await subscribers()).toBeGreaterThan(0)
    streams.splice(0).forEach((stream) => stream.close())
    for (let i = 0; i < 50 && (await subscribers()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100))
    expect(await subscribers()).toBe(0)
  })
})
