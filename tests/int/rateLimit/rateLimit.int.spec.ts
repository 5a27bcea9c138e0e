import type { PayloadRequest } from 'payload'

import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

import {
  beginLoginAttempt,
  clientIp,
  closeRateLimitStore,
  consumeRateLimit,
  enforceRateLimit,
  LOGIN_LOCK_SECONDS,
  LOGIN_MAX_FAILED_ATTEMPTS,
  loginSucceeded,
  TooManyRequests,
} from '../../../src/lib/rateLimit'

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379'
const saved = { REDIS_URL: process.env.REDIS_URL, RATE_LIMITS: process.env.RATE_LIMITS, RATE_LIMIT_PREFIX: process.env.RATE_LIMIT_PREFIX }

afterEach(async () => {
  await closeRateLimitStore()
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
})

const fakeReq = (ip: string) => ({ headers: new Headers({ 'x-forwarded-for': ip }), context: {} }) as unknown as PayloadRequest
const fresh = () => randomBytes(4).toString('hex')

describe.each(['memory', 'redis'] as const)('%s store', (store) => {
  const prefix = `test-rl-${fresh()}`
  const setStore = () => {
    process.env.RATE_LIMIT_PREFIX = prefix
    if (store === 'redis') process.env.REDIS_URL = REDIS_URL
    else delete process.env.REDIS_URL
  }

  afterAll(async () => {
    if (store !== 'redis') return
    const redis = new Redis(REDIS_URL)
    const keys = await redis.keys(`${prefix}*`)
    if (keys.length) await redis.del(...keys)
    await redis.quit()
  })

  it('allows the budget, then refuses with the time left; per IP and per user separately', async () => {
    setStore()
    process.env.RATE_LIMITS = JSON.stringify({ search: { ip: { points: 3, duration: 60 }, user: { points: 2, duration: 30 } } })
    const ip = `10.0.0.${Math.floor(Math.random() * 200)}-${fresh()}`
    const results = []
    for (let i = 0; i < 4; i++) results.push(await consumeRateLimit({ policy: 'search', ip }))
    expect(results.slice(0, 3).every((r) => r.allowed)).toBe(true)
    expect(results[3]).toMatchObject({ allowed: false, scope: 'ip' })
    expect((results[3] as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(50)
    expect((results[3] as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(60)

    const user = `user-${fresh()}`
    expect((await consumeRateLimit({ policy: 'search', ip: `other-${fresh()}`, user })).allowed).toBe(true)
    expect((await consumeRateLimit({ policy: 'search', ip: `other-${fresh()}`, user })).allowed).toBe(true)
    expect(await consumeRateLimit({ policy: 'search', ip: `other-${fresh()}`, user })).toMatchObject({ allowed: false, scope: 'user' })
  })

  it('keeps a failed-login lock of Payload’s figures: 5 failures, then 10 minutes, even for the right password', async () => {
    setStore()
    const req = fakeReq(`192.0.2.${fresh()}`)
    const email = `victim-${fresh()}@example.test`
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await beginLoginAttempt({ req, email })
    const locked = await beginLoginAttempt({ req, email }).catch((error) => error)
    expect(locked).toBeInstanceOf(TooManyRequests)
    expect(locked.status).toBe(429)
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeGreaterThan(LOGIN_LOCK_SECONDS - 5)
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeLessThanOrEqual(LOGIN_LOCK_SECONDS)
    // The account stays locked from another address too.
    await expect(beginLoginAttempt({ req: fakeReq(`198.51.100.${fresh()}`), email })).rejects.toBeInstanceOf(TooManyRequests)
  })

  it('forgets an account’s failures after a successful login, as Payload resets loginAttempts', async () => {
    setStore()
    const req = fakeReq(`203.0.113.${fresh()}`)
    const email = `forgetful-${fresh()}@example.test`
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS - 1; i++) await beginLoginAttempt({ req, email })
    await beginLoginAttempt({ req, email })
    await loginSucceeded({ req, email })
    // Another address, so only the account's count matters: without the reset the account would be locked now.
    const elsewhere = fakeReq(`203.0.113.${fresh()}`)
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await beginLoginAttempt({ req: elsewhere, email })
    await expect(beginLoginAttempt({ req: fakeReq(`203.0.113.${fresh()}`), email })).rejects.toBeInstanceOf(TooManyRequests)
  })

  if (store === 'redis') {
    it('shares the count through Redis: a new process sees the spent budget', async () => {
      setStore()
      process.env.RATE_LIMITS = JSON.stringify({ registration: { ip: { points: 2, duration: 60 } } })
      const ip = `shared-${fresh()}`
      await consumeRateLimit({ policy: 'registration', ip })
      await consumeRateLimit({ policy: 'registration', ip })
      await closeRateLimitStore() // as if another server process started
      setStore()
      expect(await consumeRateLimit({ policy: 'registration', ip })).toMatchObject({ allowed: false })
      const redis = new Redis(REDIS_URL)
      expect((await redis.keys(`${prefix}:registration:ip*`)).length).toBeGreaterThan(0)
      await redis.quit()
    })
  }
})

describe('enforceRateLimit', () => {
  it('throws a 429 APIError and sets Retry-After on the response', async () => {
    process.env.RATE_LIMIT_PREFIX = `test-rl-${fresh()}`
    process.env.RATE_LIMITS = JSON.stringify({ passwordReset: { ip: { points: 1, duration: 120 } } })
    const req = fakeReq('198.18.0.1')
    await enforceRateLimit({ policy: 'passwordReset', req, ip: '198.18.0.1' })
    const error = await enforceRateLimit({ policy: 'passwordReset', req, ip: '198.18.0.1' }).catch((e) => e)
    expect(error).toBeInstanceOf(TooManyRequests)
    expect(error.status).toBe(429)
    expect(error.data).toMatchObject({ policy: 'passwordReset' })
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeGreaterThan(100)
  })
})

describe('clientIp', () => {
  it('takes the entry written by the trusted proxy hop', () => {
    const headers = new Headers({ 'x-forwarded-for': '1.1.1.1, 10.0.0.1, 172.16.0.9' })
    expect(clientIp(headers, {})).toBe('172.16.0.9')
    expect(clientIp(headers, { TRUST_PROXY_HOPS: '2' })).toBe('10.0.0.1')
    expect(clientIp(headers, { TRUST_PROXY_HOPS: '9' })).toBe('1.1.1.1')
    expect(clientIp(new Headers(), {})).toBeUndefined()
  })
})
