import config from '@payload-config'
import { getPayload } from 'payload'

import { checkHealth, publicHealthReport } from '@/monitoring/checkHealth'
import { withHttpMetrics } from '@/lib/metrics/httpMetrics'
import { hasMetricsToken } from '@/monitoring/metricsResponse'

export const dynamic = 'force-dynamic'

/**
 * GET /api/health (readiness) and /api/health?probe=live (liveness): no auth needed for `{ status }` (200 or 503);
 * with `Authorization: Bearer $METRICS_TOKEN` the `checks` too (engine and version, latencies). docs/OPERATIONS.md
 */
export const GET = withHttpMetrics(async (request: Request) => {
  const live = new URL(request.url).searchParams.get('probe') === 'live'
  const report = await checkHealth({ getPayload: () => getPayload({ config }), live })
  const body = hasMetricsToken(request) ? report : publicHealthReport(report)
  return Response.json(body, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
})
