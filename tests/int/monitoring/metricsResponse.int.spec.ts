import type { Payload } from 'payload'

import { afterEach, describe, expect, it } from 'vitest'

import { metricsResponse } from '../../../src/monitoring/metricsResponse'

/**
 * GET /api/metrics as Prometheus calls it (the handler the route serves, src/app/api/metrics/route.ts): switched
 * off without METRICS_TOKEN (404, saying so), closed without the right token (401). The open path, with the app
 * and its database, is tests/e2e/ops/healthMetrics.e2e.spec.ts.
 */
const noPayload = async (): Promise<Payload> => {
  throw new Error('metrics must not reach the database without a valid token')
}
const request = (authorization?: string) => new Request('http://localhost/api/metrics', { headers: authorization ? { authorization } : {} })
const saved = process.env.METRICS_TOKEN
afterEach(() => {
  if (saved === undefined) delete process.env.METRICS_TOKEN
  else process.env.METRICS_TOKEN = saved
})

describe('GET /api/metrics', () => {
  it('with no METRICS_TOKEN configured: 404 saying metrics are disabled, whatever the caller sends', async () => {
    delete process.env.METRICS_TOKEN
    for (const authorization of [undefined, 'Bearer anything']) {
      const response = await metricsResponse({ request: request(authorization), getPayload: noPayload })
      expect(response.status).toBe(404)
      expect(response.headers.get('www-authenticate')).toBeNull()
      expect((await response.json()).errors[0].message).toMatch(/Metrics are disabled: set METRICS_TOKEN/)
    }
  })

  it('with a token configured: 401 with a Bearer challenge without it or with another', async () => {
    process.env.METRICS_TOKEN = 'metrics-token-for-this-test-0001'
    for (const authorization of [undefined, 'Bearer wrong', 'metrics-token-for-this-test-0001']) {
      const response = await metricsResponse({ request: request(authorization), getPayload: noPayload })
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"')
      expect((await response.json()).errors[0].message).toMatch(/Authorization: Bearer/)
    }
  })
})
