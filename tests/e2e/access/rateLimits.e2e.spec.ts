import type { Payload } from 'payload'

import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { LOGIN_LOCK_SECONDS, LOGIN_MAX_FAILED_ATTEMPTS } from '../../../src/lib/rateLimit/policies'
import { GRAPHQL_LIMITS, MAX_LIST_LIMIT } from '../../../src/model/apiLimits'
import { type RunningApp, startApp } from '../../helpers/app'
import { loose } from '../../helpers/loose'
import { payloadAt } from '../../helpers/payloadAt'

// Each login hashes a password (600,000 PBKDF2 rounds): dozens of them take minutes on a busy machine.
vi.setConfig({ testTimeout: 300_000 })

// Rate limits and request caps over HTTP, on the engine the tests run (FerretDB by default, where Payload's own
// failed-login counter is off), with the limiter state in Redis (REDIS_URL or the local 127.0.0.1:6379). The test
// plays the reverse proxy: the app trusts its loopback peer (TRUSTED_PROXIES) and takes the client address from the
// X-Forwarded-For entry each request sets. A second app without TRUSTED_PROXIES shows the header is ignored then.
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const prefix = `e2e-rl-${randomBytes(4).toString('hex')}`
const PASSWORD = 'Passw0rd!secret'
let app: RunningApp
let payload: Payload
let admin: any

const ADDRESS_BUDGET = 12
const ip = () => `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250)).join('.')}`
const post = (path: string, body: unknown, from: string, headers: Record<string, string> = {}) =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...headers }, body: JSON.stringify(body) })
const login = (email: string, password: string, from: string) => post('/api/users/login', { email, password }, from)
const makeUser = async (name: string) =>
  loose(payload).create({ collection: 'users', data: { email: `${name}-${randomBytes(3).toString('hex')}@example.test`, password: PASSWORD } })

beforeAll(async () => {
  app = await startApp('rate-limits', {
    TRUSTED_PROXIES: '127.0.0.1',
    REDIS_URL,
    RATE_LIMIT_PREFIX: prefix,
    RATE_LIMITS: JSON.stringify({
      // A smaller address budget for failed logins, so the test reaches it with fewer (slow) password checks.
      login: { ip: { points: ADDRESS_BUDGET } },
      registration: { ip: { points: 3, duration: 600 } },
      graphql: { ip: { points: 5, duration: 600 }, user: { points: 8, duration: 600 } },
    }),
  })
  payload = await payloadAt(app.databaseUrl)
  admin = await loose(payload).create({ collection: 'users', data: { email: 'root@example.test', password: PASSWORD, role: 'admin' } })
})

afterAll(async () => {
  if (payload) {
    await payload.db.connection.dropDatabase()
    await payload.destroy()
  }
  await app?.stop()
  const redis = new Redis(REDIS_URL)
  const keys = await redis.keys(`${prefix}*`)
  if (keys.length) await redis.del(...keys)
  await redis.quit()
})

describe('failed-login lockout (Payload’s figures, on every engine)', () => {
  it('locks an account at an address after 5 failures for 10 minutes — the right password too; the owner elsewhere signs in', async () => {
    const user = await makeUser('victim')
    const from = ip()
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) expect((await login(user.email, 'wrong-password', from)).status).toBe(401)
    const locked = await login(user.email, PASSWORD, from)
    expect(locked.status).toBe(429)
    const retryAfter = Number(locked.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(LOGIN_LOCK_SECONDS - 30)
    expect(retryAfter).toBeLessThanOrEqual(LOGIN_LOCK_SECONDS)
    expect((await locked.json()).errors[0].message).toMatch(/too many failed login attempts/i)
    // The lock lives in Redis (REDIS_URL), shared by every app process.
    const redis = new Redis(REDIS_URL)
    expect(await redis.keys(`${prefix}:login:userAtIp*${user.email}@${from}*`)).toHaveLength(1)
    await redis.quit()

    // The GraphQL login mutation runs the same operation and is refused too.
    const graphql = await post('/api/graphql', { query: `mutation { loginUser(email: "${user.email}", password: "${PASSWORD}") { token } }` }, from)
    const body = await graphql.json()
    expect(body.errors[0].extensions.statusCode).toBe(429)
    expect(body.data?.loginUser ?? null).toBeNull()

    // Someone without the password cannot keep the owner out: from another address the owner signs in.
    expect((await login(user.email, PASSWORD, ip())).status).toBe(200)
  })

  it('keeps the owner in from a known address while a guess spread over many addresses is throttled', async () => {
    const user = await makeUser('besieged')
    const home = ip()
    expect((await login(user.email, PASSWORD, home)).status).toBe(200)
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) statuses.push((await login(user.email, 'guess', ip())).status)
    expect(statuses).toContain(429)
    expect((await login(user.email, PASSWORD, ip())).status).toBe(429)
    expect((await login(user.email, PASSWORD, home)).status).toBe(200)
  })

  it('lifts the lock when an admin unlocks the account', async () => {
    const user = await makeUser('unlocked')
    const from = ip()
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await login(user.email, 'wrong-password', from)
    expect((await login(user.email, PASSWORD, from)).status).toBe(429)
    const { token } = await (await login(admin.email, PASSWORD, ip())).json()
    const unlock = await post('/api/users/unlock', { email: user.email }, ip(), { authorization: `JWT ${token}` })
    expect(unlock.status).toBe(200)
    expect((await login(user.email, PASSWORD, from)).status).toBe(200)
  })

  it('does not lock everyone behind one address: failures across accounts leave the others in, until the address budget', async () => {
    const office = ip()
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) expect((await login(`nobody-${i}@example.test`, 'guess', office)).status).toBe(401)
    const colleague = await makeUser('colleague')
    expect((await login(colleague.email, PASSWORD, office)).status).toBe(200)
    const statuses: number[] = []
    for (let i = 0; i < ADDRESS_BUDGET; i++) statuses.push((await login(`spray-${i}@example.test`, 'guess', office)).status)
    expect(statuses).toContain(429)
    expect((await login(colleague.email, PASSWORD, office)).status).toBe(429)
    expect((await login(colleague.email, PASSWORD, ip())).status).toBe(200)
  })

  it('forgets an account’s failures after a successful login', async () => {
    const user = await makeUser('forgetful')
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS - 1; i++) await login(user.email, 'wrong-password', ip())
    expect((await login(user.email, PASSWORD, ip())).status).toBe(200)
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS - 1; i++) expect((await login(user.email, 'wrong-password', ip())).status).toBe(401)
    expect((await login(user.email, PASSWORD, ip())).status).toBe(200)
  })

  it('audits logins and failed logins', async () => {
    const user = await makeUser('audited')
    await login(user.email, 'wrong-password', ip())
    await login(user.email, PASSWORD, ip())
    const entries = await payload.find({ collection: 'audit-log', where: { userEmail: { equals: user.email } }, sort: 'createdAt', depth: 0 })
    expect(entries.docs.map((entry) => entry.operation)).toEqual(['login-failed', 'login'])
    expect(entries.docs[0]!.authMethod).toBe('anonymous')
    expect(String(entries.docs[1]!.user)).toBe(String(user.id))
    expect(entries.docs.every((entry) => typeof entry.ip === 'string' && entry.ip.startsWith('10.'))).toBe(true)
  })
})

describe('registration and password reset', () => {
  it('limits registrations per address: 429 with Retry-After, nothing stored', async () => {
    const from = ip()
    for (let i = 0; i < 3; i++) expect((await post('/api/users', { email: `reg-${from}-${i}@example.test`, password: PASSWORD }, from)).status).toBe(202)
    const refused = await post('/api/users', { email: `reg-${from}-3@example.test`, password: PASSWORD }, from)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await payload.count({ collection: 'users', where: { email: { equals: `reg-${from}-3@example.test` } } })).totalDocs).toBe(0)
  })

  it('limits password-reset requests per account', async () => {
    const user = await makeUser('forgot')
    for (let i = 0; i < 3; i++) expect((await post('/api/users/forgot-password', { email: user.email }, ip())).status).toBe(200)
    const refused = await post('/api/users/forgot-password', { email: user.email }, ip())
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('GraphQL', () => {
  const query = (from: string, headers: Record<string, string> = {}) => post('/api/graphql', { query: '{ PromptTemplates { totalDocs } }' }, from, headers)

  it('limits requests per address', async () => {
    const from = ip()
    for (let i = 0; i < 5; i++) expect((await query(from)).status).toBe(200)
    const refused = await query(from)
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('limits requests per user, whatever the address', async () => {
    const user = await makeUser('chatty')
    const { token } = await (await login(user.email, PASSWORD, ip())).json()
    const statuses = []
    for (let i = 0; i < 9; i++) statuses.push((await query(ip(), { authorization: `JWT ${token}` })).status)
    expect(statuses.slice(0, 8).every((status) => status === 200)).toBe(true)
    expect(statuses[8]).toBe(429)
  })

  it('refuses a query above the complexity cap and runs a normal one', async () => {
    const { token } = await (await login(admin.email, PASSWORD, ip())).json()
    const auth = { authorization: `JWT ${token}` }
    // 20 aliased lists of 10 rows, each row populating its creator: 20 × (200 + 1 + 10 × 11) = 6,220 > the cap.
    const fields = Array.from({ length: 20 }, (_, i) => `p${i}: Projects { docs { createdBy { id } } }`).join('\n')
    const response = await post('/api/graphql', { query: `{ ${fields} }` }, ip(), auth)
    expect(response.status).toBe(400)
    const heavy = await response.json()
    expect(heavy.errors[0].extensions.error).toMatchObject({ code: 'QUERY_LIMIT_EXCEEDED', details: { limit: 'graphql.maxCost', max: GRAPHQL_LIMITS.maxCost } })
    expect(heavy.data ?? null).toBeNull()
    const normal = await (await post('/api/graphql', { query: '{ Projects { docs { id createdBy { id } } } }' }, ip(), auth)).json()
    expect(normal.errors).toBeUndefined()
  })
})

describe('REST caps', () => {
  it('serves at most 100 rows a page, whatever limit or pagination asks', async () => {
    const { token } = await (await login(admin.email, PASSWORD, ip())).json()
    const auth = { authorization: `JWT ${token}`, 'x-forwarded-for': ip() }
    for (const query of ['limit=1000', 'limit=0', 'pagination=false']) {
      const body = await (await fetch(`${app.url}/api/audit-log?${query}&depth=0`, { headers: auth })).json()
      expect(body.limit, query).toBe(MAX_LIST_LIMIT)
      expect(body.docs.length, query).toBeLessThanOrEqual(MAX_LIST_LIMIT)
    }
    const small = await (await fetch(`${app.url}/api/audit-log?limit=5&depth=0`, { headers: auth })).json()
    expect(small.docs).toHaveLength(5)
  })

  it('caps depth at 3 relationship levels', async () => {
    const { token } = await (await login(admin.email, PASSWORD, ip())).json()
    const project = await loose(payload).create({ collection: 'projects', data: { title: 'Deep', episodeCount: 2, createdBy: admin.id } })
    const episode = await loose(payload).create({ collection: 'episodes', data: { project: project.id, episodeNumber: 1, title: 'E1' } })
    const scene = await loose(payload).create({ collection: 'scenes', data: { project: project.id, episode: episode.id, sceneNumber: 1 } })
    const task = await loose(payload).create({ collection: 'tasks', data: { project: project.id, taskType: 'scene_assembly', scene: scene.id } })
    const session = await loose(payload).create({ collection: 'sessions', data: { project: project.id, user: admin.id, contextData: { currentScene: scene.id } } })
    const body = await (await fetch(`${app.url}/api/sessions/${session.id}?depth=10`, { headers: { authorization: `JWT ${token}`, 'x-forwarded-for': ip() } })).json()
    // depth 1: the scene, 2: its episode, 3: the episode's project, 4 (cut): the project's owner.
    expect(body.contextData.currentScene.episode.project.title).toBe('Deep')
    expect(typeof body.contextData.currentScene.episode.project.createdBy).toBe('string')
    expect(task.id).toBeTruthy()
  })
})

describe('client address without a trusted proxy (TRUSTED_PROXIES unset, the default)', () => {
  // Its own app: the Local API instance of this file (one per process) belongs to the first app's database.
  let direct: RunningApp
  beforeAll(async () => {
    direct = await startApp('rate-limits-direct', {
      REDIS_URL,
      RATE_LIMIT_PREFIX: `${prefix}-direct`,
      RATE_LIMITS: JSON.stringify({ registration: { ip: { points: 3, duration: 600 } } }),
    })
  })
  afterAll(async () => {
    await direct?.stop()
  })
  const postDirect = (path: string, body: unknown, forwardedFor: string, headers: Record<string, string> = {}) =>
    fetch(`${direct.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor, 'x-peer-address': forwardedFor, ...headers },
      body: JSON.stringify(body),
    })

  it('the audit log records the address the server saw, not the one the client claims', async () => {
    const email = `seen-${randomBytes(3).toString('hex')}@example.test`
    expect((await postDirect('/api/users/first-register', { email, password: PASSWORD }, '10.9.9.8')).status).toBe(200)
    const signedIn = await postDirect('/api/users/login', { email, password: PASSWORD }, '10.9.9.9')
    expect(signedIn.status).toBe(200)
    const { token } = await signedIn.json()
    const audit = await (await fetch(`${direct.url}/api/audit-log?where[operation][equals]=login&depth=0`, { headers: { authorization: `JWT ${token}` } })).json()
    const addresses = audit.docs.map((entry: { ip?: string }) => entry.ip)
    expect(addresses.length).toBeGreaterThan(0)
    expect(new Set(addresses)).toEqual(new Set(['127.0.0.1']))
  })

  it('a client changing X-Forwarded-For (or forging the peer header) does not dodge the per-address limit', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 4; i++) statuses.push((await postDirect('/api/users', { email: `direct-${i}-${randomBytes(3).toString('hex')}@example.test`, password: PASSWORD }, ip())).status)
    // 3 registrations per address, one spent by the first registration above: every address claimed was the same one.
    expect(statuses).toContain(429)
    expect(statuses.filter((status) => status === 202).length).toBeLessThan(3)
  })
})
