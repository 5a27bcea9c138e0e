import type { Payload } from 'payload'

import { timingSafeEqual } from 'node:crypto'

import { collectQueueDepth } from './queueDepth'
import { metrics } from '../lib/metrics/registry'

/** True when the request carries `Authorization: Bearer <METRICS_TOKEN>`; always false while no token is set. */
export function hasMetricsToken(request: Request): boolean {
  const token = process.env.METRICS_TOKEN
  if (!token) return false
  const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * GET /api/metrics: the Prometheus text exposition. With no METRICS_TOKEN configured the endpoint is switched off:
 * 404 saying so (a scraper's operator sees "disabled", not a credentials problem). With one, a request without it
 * (or with another) is 401.
 */
export async function metricsResponse({
  request,
  getPayload,
  collectors = [],
}: {
  request: Request
  getPayload: () => Promise<Payload>
  /** Further figures read at scrape time by upper layers (the operations gauges, src/ops/metrics). */
  collectors?: ((payload: Payload) => Promise<void>)[]
}) {
  if (!process.env.METRICS_TOKEN) {
    return Response.json(
      { errors: [{ name: 'NotFound', message: 'Metrics are disabled: set METRICS_TOKEN on the server to enable /api/metrics.' }] },
      { status: 404 },
    )
  }
  if (!hasMetricsToken(request)) {
    return Response.json(
      { errors: [{ name: 'Unauthorized', message: 'Metrics need Authorization: Bearer <METRICS_TOKEN>.' }] },
      { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="metrics"' } },
    )
  }
  const payload = await getPayload()
  try {
    await collectQueueDepth(payload)
  } catch (err) {
    payload.logger.error({ msg: 'Reading the task queue depth for /api/metrics failed', err })
  }
  for (const collect of collectors) {
    try {
      await collect(payload)
    } catch (err) {
      payload.logger.error({ msg: `Reading ${collect.name || 'a collector'} for /api/metrics failed`, err })
    }
  }
  const { registry } = metrics()
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType } })
}
