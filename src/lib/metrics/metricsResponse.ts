import type { Payload } from 'payload'

import { timingSafeEqual } from 'node:crypto'

import { collectQueueDepth } from './queueDepth'
import { metrics } from './registry'

/** True when the request carries `Authorization: Bearer <METRICS_TOKEN>`; always false while no token is set. */
export function hasMetricsToken(request: Request): boolean {
  const token = process.env.METRICS_TOKEN
  if (!token) return false
  const given = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** GET /api/metrics: the Prometheus text exposition, closed (401) without the bearer token. */
export async function metricsResponse({ request, getPayload }: { request: Request; getPayload: () => Promise<Payload> }) {
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
  const { registry } = metrics()
  return new Response(await registry.metrics(), { headers: { 'Content-Type': registry.contentType } })
}
