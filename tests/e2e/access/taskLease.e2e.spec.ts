import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { tierQuotas } from '../../../src/domain/quotas/tiers'
import { type RunningApp, startApp } from '../../helpers/app'
import { pngFile } from '../../helpers/files'
import { requestJson } from '../../helpers/http'
import { loose } from '../../helpers/loose'
import { payloadAt } from '../../helpers/payloadAt'

vi.setConfig({ testTimeout: 300_000 })

/**
 * Issue 19 items 3, 4, 5 and 9 from outside, against `next start`, as the attacker: a worker key of another tenant,
 * project members, strangers.
 * - The task lease: no engine-owned field of a task changes through REST, GraphQL or the admin's permissions for
 *   anyone but an admin; workers update no task there; cancel and retry go through the engine.
 * - Every reference a task holds stays in its project, on REST, GraphQL and /api/v1.
 * - Paid work: execute and enqueue rate limits (429 + Retry-After), tier budgets (403 naming the limit), and a fair
 *   claim order (a flooding project does not starve another).
 * - Search with a worker key finds nothing the key cannot read.
 */
const PASSWORD = 'Passw0rd!secret'
const EXECUTE_PER_USER = 3
const ENQUEUE_PER_USER = tierQuotas.free.maxOpenTasks + 5
let app: RunningApp
let payload: Payload
const tokens: Record<string, string> = {}
const ids: Record<string, string> = {}
const holderKey = `holder-${randomBytes(12).toString('hex')}`
const attackerKey = `attacker-${randomBytes(12).toString('hex')}`
const asKey = (key: string) => ({ authorization: `users API-Key ${key}` })

const rest = (path: string, init: { method?: string; body?: unknown; token?: string; headers?: Record<string, string> } = {}) =>
  requestJson(`${app.url}${path}`, init)
const graphql = (query: string, auth: { token?: string; headers?: Record<string, string> }) =>
  requestJson(`${app.url}/api/graphql`, { method: 'POST', body: { query }, ...auth })
const stored = async (id: string) => (await payload.findByID({ collection: 'tasks', id, depth: 0 })) as any

async function person(label: string, data: Record<string, unknown> = {}) {
  const email = `${label}-${randomBytes(3).toString('hex')}@example.test`
  const user = await loose(payload).create({ collection: 'users', data: { email, password: PASSWORD, name: label, ...data } })
  const login = await rest('/api/users/login', { method: 'POST', body: { email, password: PASSWORD } })
  expect(login.status).toBe(200)
  tokens[label] = login.body.token
  ids[label] = String(user.id)
  return user
}

beforeAll(async () => {
  app = await startApp('task-lease', {
    RATE_LIMIT_PREFIX: `e2e-tasks-${randomBytes(4).toString('hex')}`,
    RATE_LIMITS: JSON.stringify({
      login: { ip: { points: 1_000_000 }, user: { points: 1_000_000 }, userAtIp: { points: 1_000_000 } },
      graphql: { ip: { points: 1_000_000 }, user: { points: 1_000_000 } },
      search: { ip: { points: 1_000_000 }, user: { points: 1_000_000 } },
      execute: { ip: { points: 1_000_000 }, user: { points: EXECUTE_PER_USER, duration: 600 }, project: { points: 1_000_000 } },
      enqueue: { ip: { points: 1_000_000 }, user: { points: ENQUEUE_PER_USER, duration: 600 }, project: { points: 1_000_000 } },
    }),
  })
  payload = await payloadAt(app.databaseUrl)
  await person('admin', { role: 'admin' })
  await person('owner', { subscription: { tier: 'enterprise' } })
  await person('collaborator')
  await person('stranger', { subscription: { tier: 'enterprise' } })
  await person('free')
  await person('pro', { subscription: { tier: 'pro' } })
  // Two worker keys: the holder's, and another tenant's (the stranger's own key).
  await loose(payload).create({ collection: 'users', data: { email: `holder-${randomBytes(3).toString('hex')}@example.test`, password: PASSWORD, enableAPIKey: true, apiKey: holderKey } })
  await loose(payload).update({ collection: 'users', id: ids.stranger!, data: { enableAPIKey: true, apiKey: attackerKey } })
  const project = (title: string, createdBy: string, extra: Record<string, unknown> = {}) =>
    loose(payload).create({ collection: 'projects', data: { title, episodeCount: 5, genre: 'drama', createdBy, ...extra } })
  ids.X = String((await project('Quayside larkspur', ids.owner!, { collaborators: [ids.collaborator] })).id)
  ids.Y = String((await project('Stranger larkspur', ids.stranger!)).id)
  ids.free = ids.free!
  ids.freeProject = String((await project('Free larkspur', ids.free)).id)
  ids.proProject = String((await project('Pro larkspur', ids.pro!)).id)
  ids.yMedia = String((await loose(payload).create({ collection: 'media', data: { project: ids.Y, mediaType: 'concept_art', alt: 'larkspur foreign' }, file: await pngFile(8, 8, `y-${randomBytes(3).toString('hex')}.png`) })).id)
  ids.xMedia = String((await loose(payload).create({ collection: 'media', data: { project: ids.X, mediaType: 'concept_art', alt: 'larkspur local' }, file: await pngFile(8, 8, `x-${randomBytes(3).toString('hex')}.png`) })).id)
  ids.yExecution = String((await loose(payload).create({ collection: 'prompts-executed', data: { projectId: ids.Y, status: 'success' } })).id)
  ids.template = String((await loose(payload).create({ collection: 'prompt-templates', data: { name: `tpl-${randomBytes(3).toString('hex')}`, template: 'Say hello', model: 'anthropic/claude-sonnet-4' } })).id)
  await loose(payload).create({ collection: 'characters', data: { project: ids.X, name: 'Larkspur keeper' } })
})

afterAll(async () => {
  if (payload) {
    const media = await payload.find({ collection: 'media', pagination: false, depth: 0 })
    for (const doc of media.docs) await payload.delete({ collection: 'media', id: doc.id })
    await payload.db.connection.dropDatabase()
    await payload.destroy()
  }
  await app?.stop()
})

describe('the task lease: engine-owned fields through REST, GraphQL and the admin', () => {
  let held: string
  const forged = {
    status: 'completed',
    output: { result: { forged: true } },
    worker: { workerId: 'intruder' },
    error: { code: 'FORGED', message: 'x', retryCount: 9 },
    progress: { percentage: 100 },
    lease: { attempt: 9 },
    completedAt: '2030-01-01T00:00:00.000Z',
  }

  beforeAll(async () => {
    const task = await payload.create({ collection: 'tasks', data: { project: ids.X, taskType: 'video_generation' } as never })
    const claim = await rest('/api/v1/tasks/claim', { method: 'POST', headers: asKey(holderKey), body: { workerId: 'holder-1', types: ['video_generation'] } })
    expect(claim.status).toBe(200)
    expect(claim.body.id).toBe(String(task.id))
    held = String(task.id)
  })

  it('another tenant’s worker key cannot complete, cancel or requeue a held task (REST 403, GraphQL refused); the holder goes on', async () => {
    for (const body of [forged, { status: 'cancelled' }, { status: 'queued' }]) {
      const patched = await rest(`/api/tasks/${held}`, { method: 'PATCH', headers: asKey(attackerKey), body })
      expect(patched.status).toBe(403)
    }
    for (const data of ['{ status: completed, output: { result: { forged: true } } }', '{ status: cancelled }', '{ status: queued }']) {
      const viaGraphql = await graphql(`mutation { updateTask(id: "${held}", data: ${data}) { id status } }`, { headers: asKey(attackerKey) })
      expect(viaGraphql.body.errors?.length ?? 0).toBeGreaterThan(0)
      expect(viaGraphql.body.data?.updateTask ?? null).toBeNull()
    }
    // Even the holder's key changes nothing through REST: the engine is the way.
    expect((await rest(`/api/tasks/${held}`, { method: 'PATCH', headers: asKey(holderKey), body: { status: 'completed' } })).status).toBe(403)
    const cancel = await rest(`/api/v1/tasks/${held}/cancel`, { method: 'POST', headers: asKey(attackerKey), body: {} })
    expect(cancel.status).toBe(403)
    const task = await stored(held)
    expect(task.status).toBe('processing')
    expect(task.worker.workerId).toBe('holder-1')
    const heartbeat = await rest(`/api/v1/tasks/${held}/heartbeat`, { method: 'POST', headers: asKey(holderKey), body: { workerId: 'holder-1', attempt: 1 } })
    expect(heartbeat.status).toBe(200)
    expect(heartbeat.body.cancelRequested).toBe(false)
  })

  it('members’ writes of status, output, worker, error, progress, lease and completedAt are dropped (REST and GraphQL)', async () => {
    const before = await stored(held)
    for (const who of ['owner', 'collaborator']) {
      const patched = await rest(`/api/tasks/${held}`, { method: 'PATCH', token: tokens[who], body: { ...forged, status: 'queued' } })
      expect(patched.status).toBe(200)
      const viaGraphql = await graphql(
        `mutation { updateTask(id: "${held}", data: { status: completed, output: { result: { forged: true } }, worker: { workerId: "intruder" }, error: { code: "FORGED" }, progress: { percentage: 100 } }) { id status } }`,
        { token: tokens[who] },
      )
      expect(viaGraphql.body.data?.updateTask?.status ?? 'processing').toBe('processing')
    }
    const after = await stored(held)
    for (const path of ['status', 'output', 'worker', 'error', 'progress', 'lease', 'completedAt']) expect(after[path], path).toEqual(before[path])
    // Requeued by nobody: another worker finds nothing to claim of it (no second holder).
    const second = await rest('/api/v1/tasks/claim', { method: 'POST', headers: asKey(attackerKey), body: { workerId: 'attacker', types: ['video_generation'] } })
    expect(second.status).toBe(204)
  })

  it('a member cannot move a queued task to processing or completed without a worker', async () => {
    const queued = (await rest('/api/v1/tasks', { method: 'POST', token: tokens.owner, body: { project: ids.X, taskType: 'script_generation' } })).body
    for (const status of ['processing', 'completed']) {
      await rest(`/api/tasks/${queued.id}`, { method: 'PATCH', token: tokens.collaborator, body: { status, worker: { workerId: 'ghost' } } })
      await graphql(`mutation { updateTask(id: "${queued.id}", data: { status: ${status} }) { id } }`, { token: tokens.owner })
    }
    expect((await stored(queued.id)).status).toBe('queued')
  })

  it('the admin’s permissions show the engine’s fields read-only to members and workers, writable to admins', async () => {
    // Payload's permission map: `true` for a field all may do, else per operation `true` / `{ permission }`, absent = no.
    const fieldUpdate = (body: any, field: string) => {
      const permissions = body?.fields?.[field]
      if (permissions === true) return true
      return permissions?.update === true || permissions?.update?.permission === true
    }
    for (const who of ['owner', 'collaborator']) {
      const access = await rest(`/api/tasks/access/${held}`, { method: 'POST', body: {}, token: tokens[who] })
      expect(access.status).toBe(200)
      for (const field of ['status', 'output', 'worker', 'error', 'progress', 'lease', 'completedAt']) expect(Boolean(fieldUpdate(access.body, field)), `${who} ${field}`).toBe(false)
      expect(Boolean(fieldUpdate(access.body, 'priority'))).toBe(true)
    }
    const admin = await rest(`/api/tasks/access/${held}`, { method: 'POST', body: {}, token: tokens.admin })
    expect(Boolean(fieldUpdate(admin.body, 'status'))).toBe(true)
    expect(Boolean(fieldUpdate(admin.body, 'lease'))).toBe(false)
  })

  it('cancel and retry go through the engine; an admin may repair the state', async () => {
    const cancelled = await rest(`/api/v1/tasks/${held}/cancel`, { method: 'POST', token: tokens.collaborator, body: {} })
    expect(cancelled.status).toBe(200)
    const stop = await rest(`/api/v1/tasks/${held}/heartbeat`, { method: 'POST', headers: asKey(holderKey), body: { workerId: 'holder-1', attempt: 1 } })
    expect(stop.body.cancelRequested).toBe(true)
    expect((await stored(held)).status).toBe('cancelled')
    expect((await rest(`/api/v1/tasks/${held}/retry`, { method: 'POST', headers: asKey(attackerKey), body: {} })).status).toBe(403)
    expect((await rest(`/api/v1/tasks/${held}/retry`, { method: 'POST', token: tokens.stranger, body: {} })).status).toBe(404)
    const retried = await rest(`/api/v1/tasks/${held}/retry`, { method: 'POST', token: tokens.owner, body: {} })
    expect(retried.status).toBe(201)
    expect(retried.body).toMatchObject({ status: 'queued', taskType: 'video_generation', project: ids.X })
    expect(retried.body.id).not.toBe(held)
    const again = await rest(`/api/v1/tasks/${retried.body.id}/retry`, { method: 'POST', token: tokens.owner, body: {} })
    expect(again.status).toBe(409)
    const repaired = await rest(`/api/tasks/${retried.body.id}`, { method: 'PATCH', token: tokens.admin, body: { status: 'cancelled', error: { code: 'REPAIRED', message: 'admin' } } })
    expect(repaired.status).toBe(200)
    expect((await stored(retried.body.id)).error.code).toBe('REPAIRED')
  })
})

describe('task references stay in the project', () => {
  it('input.promptId, output.mediaId, input.parameters.mediaId and the episode of another project are refused on every path', async () => {
    const v1 = await rest('/api/v1/tasks', { method: 'POST', token: tokens.owner, body: { project: ids.X, taskType: 'script_generation', input: { promptId: ids.yExecution } } })
    expect(v1.status).toBe(400)
    expect(JSON.stringify(v1.body)).toContain('input.promptId')
    expect(JSON.stringify(v1.body)).not.toContain(ids.Y!)
    const embedding = await rest('/api/v1/tasks', {
      method: 'POST',
      token: tokens.owner,
      body: { project: ids.X, taskType: 'embedding_generation', input: { parameters: { mediaId: ids.yMedia, text: 'x' } } },
    })
    expect(embedding.status).toBe(400)
    const viaRest = await rest('/api/tasks', { method: 'POST', token: tokens.collaborator, body: { project: ids.X, taskType: 'script_generation', input: { promptId: ids.yExecution } } })
    expect(viaRest.status).toBe(400)
    const viaGraphql = await graphql(`mutation { createTask(data: { project: "${ids.X}", taskType: script_generation, input: { promptId: "${ids.yExecution}" } }) { id } }`, { token: tokens.owner })
    expect(viaGraphql.body.errors?.length ?? 0).toBeGreaterThan(0)
    // The output, which only admins may repair, is checked for them too.
    const task = (await rest('/api/v1/tasks', { method: 'POST', token: tokens.owner, body: { project: ids.X, taskType: 'script_generation' } })).body
    const adminRest = await rest(`/api/tasks/${task.id}`, { method: 'PATCH', token: tokens.admin, body: { output: { mediaId: ids.yMedia } } })
    expect(adminRest.status).toBe(400)
    const adminGraphql = await graphql(`mutation { updateTask(id: "${task.id}", data: { output: { mediaId: "${ids.yMedia}" } }) { id } }`, { token: tokens.admin })
    expect(adminGraphql.body.errors?.length ?? 0).toBeGreaterThan(0)
    expect((await stored(task.id)).output?.mediaId ?? null).toBeNull()
    const local = await rest(`/api/tasks/${task.id}`, { method: 'PATCH', token: tokens.admin, body: { output: { mediaId: ids.xMedia } } })
    expect(local.status).toBe(200)
  })
})

describe('limits on paid work', () => {
  it('execute: the per-user budget answers 429 with Retry-After', async () => {
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < EXECUTE_PER_USER + 2; i++) {
      const answer = await rest(`/api/v1/prompt-templates/${ids.template}/execute`, { method: 'POST', token: tokens.owner, body: { projectId: ids.X, inputs: {} } })
      statuses.push(answer.status)
      if (answer.status === 429) {
        retryAfter = answer.headers.get('retry-after')
        expect(answer.body.error.message).toContain('Retry-After')
      }
    }
    expect(statuses.slice(0, EXECUTE_PER_USER).every((status) => status !== 429)).toBe(true)
    expect(statuses.slice(EXECUTE_PER_USER)).toEqual([429, 429])
    expect(Number(retryAfter)).toBeGreaterThan(0)
    // ?wait=true spends the same budget.
    const inline = await rest(`/api/v1/prompt-templates/${ids.template}/execute?wait=true`, { method: 'POST', token: tokens.owner, body: { projectId: ids.X, inputs: {} } })
    expect(inline.status).toBe(429)
  })

  it('tier budgets: a free account’s priority above 5 and its open tasks beyond 20 are 403 with the limit named', async () => {
    const urgent = await rest('/api/v1/tasks', { method: 'POST', token: tokens.free, body: { project: ids.freeProject, taskType: 'video_generation', priority: 10 } })
    expect(urgent.status).toBe(403)
    expect(urgent.body.error.message).toContain('maxPriority')
    const viaGraphql = await graphql(`mutation { createTask(data: { project: "${ids.freeProject}", taskType: video_generation, priority: 10 }) { id } }`, { token: tokens.free })
    expect(JSON.stringify(viaGraphql.body.errors ?? [])).toContain('maxPriority')
    for (let i = 0; i < tierQuotas.free.maxOpenTasks; i++) {
      const made = await rest('/api/v1/tasks', { method: 'POST', token: tokens.free, body: { project: ids.freeProject, taskType: 'video_generation', priority: 5 } })
      expect(made.status).toBe(201)
    }
    const beyond = await rest('/api/tasks', { method: 'POST', token: tokens.free, body: { project: ids.freeProject, taskType: 'video_generation' } })
    expect(beyond.status).toBe(403)
    expect(JSON.stringify(beyond.body)).toContain('maxOpenTasks')
    expect((await payload.count({ collection: 'tasks', where: { project: { equals: ids.freeProject } } })).totalDocs).toBe(tierQuotas.free.maxOpenTasks)
  })

  it('enqueue: the per-user rate limit answers 429 with Retry-After on /api/v1, REST and GraphQL', async () => {
    for (let i = 0; i < ENQUEUE_PER_USER; i++) {
      const made = await rest('/api/v1/tasks', { method: 'POST', token: tokens.pro, body: { project: ids.proProject, taskType: 'image_generation' } })
      expect(made.status).toBe(201)
    }
    const v1 = await rest('/api/v1/tasks', { method: 'POST', token: tokens.pro, body: { project: ids.proProject, taskType: 'image_generation' } })
    expect(v1.status).toBe(429)
    expect(Number(v1.headers.get('retry-after'))).toBeGreaterThan(0)
    const viaRest = await rest('/api/tasks', { method: 'POST', token: tokens.pro, body: { project: ids.proProject, taskType: 'image_generation' } })
    expect(viaRest.status).toBe(429)
    const viaGraphql = await graphql(`mutation { createTask(data: { project: "${ids.proProject}", taskType: image_generation }) { id } }`, { token: tokens.pro })
    expect(JSON.stringify(viaGraphql.body.errors ?? [])).toMatch(/Too many|Retry-After/)
    expect((await payload.count({ collection: 'tasks', where: { project: { equals: ids.proProject } } })).totalDocs).toBe(ENQUEUE_PER_USER)
  })

  it('fair claims: a project flooding the queue at priority 10 does not starve another (claimed within two claims)', async () => {
    for (let i = 0; i < 140; i++) await payload.create({ collection: 'tasks', data: { project: ids.Y, taskType: 'audio_generation', priority: 10 } as never })
    const quiet = await payload.create({ collection: 'tasks', data: { project: ids.X, taskType: 'audio_generation', priority: 1 } as never })
    const claimed: string[] = []
    for (let i = 0; i < 2; i++) {
      const claim = await rest('/api/v1/tasks/claim', { method: 'POST', headers: asKey(holderKey), body: { workerId: `fair-${i}`, types: ['audio_generation'] } })
      expect(claim.status).toBe(200)
      claimed.push(claim.body.id)
    }
    expect(claimed).toContain(String(quiet.id))
    expect(new Set(claimed).size).toBe(2)
  })
})

describe('search with a worker key', () => {
  it('finds no project, episode, scene or character, and only media of projects with an open task', async () => {
    const answer = await rest('/api/v1/search?q=larkspur&limit=50', { headers: asKey(attackerKey) })
    expect(answer.status).toBe(200)
    const hits = answer.body.docs as { type: string; project: string }[]
    expect(hits.filter((hit) => hit.type !== 'media')).toEqual([])
    const openProjects = new Set(
      (await payload.find({ collection: 'tasks', where: { status: { in: ['queued', 'processing'] } }, pagination: false, depth: 0 })).docs.map((task) => String(task.project)),
    )
    for (const hit of hits) expect(openProjects.has(hit.project)).toBe(true)
    // A member finds the project itself.
    const member = await rest('/api/v1/search?q=larkspur&types=projects', { token: tokens.owner })
    expect(member.body.docs.map((hit: any) => hit.id)).toContain(ids.X)
  })
})
