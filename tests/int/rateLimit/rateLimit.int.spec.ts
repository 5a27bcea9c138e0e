import type { PayloadRequest } from 'payload'

import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

import { RateLimitedError } from '../../../src/errors'

import {
  beginLoginAttempt,
  clientIp,
  closeRateLimitStore,
  consumeRateLimit,
  enforceRateLimit,
  LOGIN_LOCK_SECONDS,
  LOGIN_MAX_FAILED_ATTEMPTS,
  LOGIN_MAX_FAILED_PER_ACCOUNT,
  LOGIN_MAX_FAILED_PER_ADDRESS,
  loginSucceeded,
  PEER_ADDRESS_HEADER,
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

/** A request as the server stamps it: the TCP peer is `ip` (PEER_ADDRESS_HEADER), whatever X-Forwarded-For says. */
const fakeReq = (ip: string) =>
  ({ headers: new Headers({ [PEER_ADDRESS_HEADER]: ip, 'x-forwarded-for': '6.6.6.6' }), context: {} }) as unknown as PayloadRequest
const fresh = () => randomBytes(4).toString('hex')
const address = () => `10.${[0, 0, 0].map(() => randomBytes(1)[0]).join('.')}`

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

  it('locks an account at an address after 5 failures for 10 minutes — the right password too, from that address only', async () => {
    setStore()
    const from = address()
    const req = fakeReq(from)
    const email = `victim-${fresh()}@example.test`
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await beginLoginAttempt({ req, email })
    const locked = await beginLoginAttempt({ req, email }).catch((error) => error)
    expect(locked).toBeInstanceOf(RateLimitedError)
    expect(locked.status).toBe(429)
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeGreaterThan(LOGIN_LOCK_SECONDS - 5)
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeLessThanOrEqual(LOGIN_LOCK_SECONDS)
    // The owner, from another address, is not locked out by someone else's guesses.
    await expect(beginLoginAttempt({ req: fakeReq(address()), email })).resolves.toBeUndefined()
  })

  it('does not lock a whole office out: failures from one address across accounts leave the others able to sign in', async () => {
    setStore()
    const office = address()
    // One person's typos on five accounts (more than the per-account budget in total).
    for (let account = 0; account < 5; account++) {
      for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS - 1; i++) await beginLoginAttempt({ req: fakeReq(office), email: `typo-${account}-${fresh()}@example.test` })
    }
    await expect(beginLoginAttempt({ req: fakeReq(office), email: `colleague-${fresh()}@example.test` })).resolves.toBeUndefined()
    // Still throttled: one address guessing across many accounts is refused past the address budget.
    let refused: unknown
    for (let i = 0; i < LOGIN_MAX_FAILED_PER_ADDRESS && !refused; i++) {
      refused = await beginLoginAttempt({ req: fakeReq(office), email: `spray-${i}-${fresh()}@example.test` }).catch((error) => error)
    }
    expect(refused).toBeInstanceOf(RateLimitedError)
  })

  it('throttles a guess spread over many addresses, yet lets the owner in from an address they signed in from', async () => {
    setStore()
    const email = `target-${fresh()}@example.test`
    const home = address()
    await beginLoginAttempt({ req: fakeReq(home), email })
    await loginSucceeded({ req: fakeReq(home), email })
    let refused: unknown
    for (let i = 0; i <= LOGIN_MAX_FAILED_PER_ACCOUNT && !refused; i++) {
      refused = await beginLoginAttempt({ req: fakeReq(address()), email }).catch((error) => error)
    }
    expect(refused).toBeInstanceOf(RateLimitedError)
    // A fresh address is refused now, the owner's known address is not.
    await expect(beginLoginAttempt({ req: fakeReq(address()), email })).rejects.toBeInstanceOf(RateLimitedError)
    await expect(beginLoginAttempt({ req: fakeReq(home), email })).resolves.toBeUndefined()
    // A success clears the account-wide count: other addresses may try again.
    await loginSucceeded({ req: fakeReq(home), email })
    await expect(beginLoginAttempt({ req: fakeReq(address()), email })).resolves.toBeUndefined()
  })

  it('forgets an account’s failures at an address after a successful login, as Payload resets loginAttempts', async () => {
    setStore()
    const req = fakeReq(address())
    const email = `forgetful-${fresh()}@example.test`
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS - 1; i++) await beginLoginAttempt({ req, email })
    await beginLoginAttempt({ req, email })
    await loginSucceeded({ req, email })
    // Without the reset the sixth attempt here would be refused.
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await beginLoginAttempt({ req, email })
    await expect(beginLoginAttempt({ req, email })).rejects.toBeInstanceOf(RateLimitedError)
  })

  it('still limits attempts when no client address is known (per account)', async () => {
    setStore()
    const anywhere = { headers: new Headers(), context: {} } as unknown as PayloadRequest
    const email = `noaddress-${fresh()}@example.test`
    for (let i = 0; i < LOGIN_MAX_FAILED_ATTEMPTS; i++) await beginLoginAttempt({ req: anywhere, email })
    await expect(beginLoginAttempt({ req: anywhere, email })).rejects.toBeInstanceOf(RateLimitedError)
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
    expect(error).toBeInstanceOf(RateLimitedError)
    expect(error.status).toBe(429)
    expect(error.data).toMatchObject({ policy: 'passwordReset' })
    expect(Number(req.responseHeaders?.get('Retry-After'))).toBeGreaterThan(100)
  })
})

describe('clientIp', () => {
  const peer = (ip: string, forwarded?: string) =>
    new Headers({ [PEER_ADDRESS_HEADER]: ip, ...(forwarded ? { 'x-forwarded-for': forwarded } : {}) })

  it('is the address the server saw; X-Forwarded-For is ignored unless the peer is a trusted proxy', () => {
    expect(clientIp(peer('203.0.113.7', '1.1.1.1'), {})).toBe('203.0.113.7')
    expect(clientIp(peer('::ffff:203.0.113.7'), {})).toBe('203.0.113.7')
    expect(clientIp(peer('203.0.113.7', '1.1.1.1'), { TRUSTED_PROXIES: '10.0.0.0/8' })).toBe('203.0.113.7')
  })

  it('walks X-Forwarded-For from the right past trusted proxies only', () => {
    const env = { TRUSTED_PROXIES: '10.0.0.0/8, 172.16.0.9' }
    expect(clientIp(peer('10.0.0.2', '1.1.1.1, 203.0.113.7, 172.16.0.9'), env)).toBe('203.0.113.7')
    // A client cannot push its own address in through a trusted proxy's header: the spoofed left entries stay unread.
    expect(clientIp(peer('10.0.0.2', 'spoofed, 1.1.1.1'), env)).toBe('1.1.1.1')
    expect(clientIp(peer('10.0.0.2'), env)).toBe('10.0.0.2')
    expect(clientIp(peer('10.0.0.2', 'not-an-ip'), env)).toBe('10.0.0.2')
  })

  it('is unknown without a peer (in-process calls), whatever the headers claim', () => {
    expect(clientIp(new Headers({ 'x-forwarded-for': '1.1.1.1', 'x-real-ip': '2.2.2.2' }), { TRUSTED_PROXIES: '0.0.0.0/0' })).toBeUndefined()
  })

  it('refuses a malformed TRUSTED_PROXIES', () => {
    expect(() => clientIp(peer('10.0.0.2'), { TRUSTED_PROXIES: 'proxy.local' })).toThrow(/TRUSTED_PROXIES/)
  })
})
