import mongoose from 'mongoose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { type RunningApp, startApp } from '../../helpers/app'
import { TEST_SECRET } from '../../helpers/database'

/** /api/health and /api/metrics over HTTP against the built app, as a load balancer and Prometheus call them. */
const METRICS_TOKEN = `metrics-${Date.now()}-token-value`
let app: RunningApp
beforeAll(async () => {
  app = await startApp('health-metrics', { METRICS_TOKEN, REDIS_URL: 'redis://127.0.0.1:6379' })
}, 900_000) // the first e2e file of a run builds the app
afterAll(async () => app?.stop())

describe('GET /api/health', () => {
  it('answers 200 without auth with the status only: no engine, version, dependencies or timings', async () => {
    for (const headers of [{}, { Authorization: 'Bearer wrong' }, { Authorization: METRICS_TOKEN }] as Record<string, string>[]) {
      const response = await fetch(`${app.url}/api/health`, { headers })
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(JSON.parse(text)).toEqual({ status: 'ok' })
      expect(text).not.toMatch(/ferretdb|mongodb|version|latency|redis|storage/i)
    }
  })

  it('with the metrics token: every dependency, the engine and its real version, and nothing secret', async () => {
    const response = await fetch(`${app.url}/api/health`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(response.status).toBe(200)
    const text = await response.text()
    const body = JSON.parse(text)
    expect(body.status).toBe('ok')
    expect(body.checks.process.status).toBe('ok')
    expect(body.checks.database).toMatchObject({ status: 'ok', engine: { kind: 'ferretdb' } })
    expect(body.checks.database.latencyMs).toEqual(expect.any(Number))
    expect(body.checks.database.engine.version).toMatch(/^v?\d+\.\d+\.\d+/)
    expect(body.checks.storage).toMatchObject({ status: 'ok', kind: 'local' })
    expect(body.checks.redis.status).toBe('ok')
    for (const secret of [TEST_SECRET, METRICS_TOKEN, new URL(app.databaseUrl).host, 'redis://', 'mongodb://']) expect(text).not.toContain(secret)
  })

  it('answers the liveness probe without touching dependencies', async () => {
    const response = await fetch(`${app.url}/api/health?probe=live`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
    const detailed = await fetch(`${app.url}/api/health?probe=live`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect((await detailed.json()).checks.process.status).toBe('ok')
  })

  it('answers 503 naming the failed dependency when one is down, still without secrets', async () => {
    const broken = await startApp('health-broken', { METRICS_TOKEN, REDIS_URL: 'redis://:hunter2pass@127.0.0.1:1' }, { databaseUrl: app.databaseUrl })
    try {
      const anonymous = await fetch(`${broken.url}/api/health`)
      expect(anonymous.status).toBe(503)
      expect(await anonymous.json()).toEqual({ status: 'unavailable' })
      const response = await fetch(`${broken.url}/api/health`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
      expect(response.status).toBe(503)
      const text = await response.text()
      const body = JSON.parse(text)
      expect(body.status).toBe('unavailable')
      expect(body.checks.redis.status).toBe('fail')
      expect(body.checks.database.status).toBe('ok')
      expect(text).not.toContain('hunter2pass')
      expect(text).not.toContain('127.0.0.1:1')
    } finally {
      await broken.stop()
    }
  }, 300_000)
})

describe('an instance with no METRICS_TOKEN', () => {
  it('says metrics are disabled (404), not a credentials problem, and keeps health to its status', async () => {
    const metricsOff = await startApp('metrics-off', {}, { databaseUrl: app.databaseUrl })
    try {
      const metrics = await fetch(`${metricsOff.url}/api/metrics`)
      expect(metrics.status).toBe(404)
      expect((await metrics.json()).errors[0].message).toMatch(/Metrics are disabled/)
      const health = await fetch(`${metricsOff.url}/api/health`, { headers: { Authorization: 'Bearer anything' } })
      expect(await health.json()).toEqual({ status: 'ok' })
    } finally {
      await metricsOff.stop()
    }
  }, 300_000)
})

describe('GET /api/metrics', () => {
  it('is closed without the bearer token', async () => {
    expect((await fetch(`${app.url}/api/metrics`)).status).toBe(401)
    expect((await fetch(`${app.url}/api/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401)
    expect((await fetch(`${app.url}/api/metrics`, { headers: { Authorization: METRICS_TOKEN } })).status).toBe(401)
  })

  it('serves Prometheus text: HTTP by route and status, database commands, pool, queue depth, rate limits, cache', async () => {
    // Queue depth comes from the database: two queued image tasks and a failed video task.
    const connection = await mongoose.createConnection(app.databaseUrl).asPromise()
    const project = new mongoose.Types.ObjectId()
    await connection.db!.collection('tasks').insertMany([
      { taskType: 'image_generation', status: 'queued', project },
      { taskType: 'image_generation', status: 'queued', project },
      { taskType: 'video_generation', status: 'failed', project },
    ])
    await connection.close()
    await fetch(`${app.url}/api/health`)
    await fetch(`${app.url}/api/projects`) // Payload REST, anonymous: answered (empty or 403), labelled by route
    await fetch(`${app.url}/api/v1/projects`) // /api/v1 without auth: 401
    // A failed login looks the account up: a `find` on users, whatever the anonymous reads above skipped.
    await fetch(`${app.url}/api/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: app.url },
      body: JSON.stringify({ email: 'nobody-metrics@example.test', password: 'wrong-password' }),
    })

    const response = await fetch(`${app.url}/api/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/)
    const text = await response.text()
    expect(text).toMatch(/http_requests_total\{route="\/api\/health",method="GET",status="200"\} [1-9]/)
    expect(text).toMatch(/http_request_duration_seconds_bucket\{le="0\.\d+",route="\/api\/health",method="GET",status="200"\}/)
    expect(text).toMatch(/http_requests_total\{route="\/api\/v1\/projects",method="GET",status="401"\} 1/)
    expect(text).toMatch(/http_requests_total\{route="\/api\/projects",method="GET",status="\d+"\} 1/)
    expect(text).toMatch(/db_command_duration_seconds_count\{collection="\w[\w-]*",command="find",outcome="ok"\} [1-9]/)
    expect(text).toMatch(/db_pool_connections\{state="in_use"\} \d+/)
    expect(text).toMatch(/db_pool_connections\{state="available"\} \d+/)
    expect(text).toMatch(/task_queue_depth\{status="queued",taskType="image_generation"\} 2/)
    expect(text).toMatch(/task_queue_depth\{status="failed",taskType="video_generation"\} 1/)
    expect(text).toContain('# TYPE rate_limit_rejections_total counter')
    expect(text).toContain('# TYPE db_slow_commands_total counter')
    expect(text).toMatch(/cache_hit_ratio \d/)
    expect(text).not.toContain(METRICS_TOKEN)
  })
})
