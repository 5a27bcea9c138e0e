import config from '@payload-config'
import { getPayload } from 'payload'

import { checkHealth } from '@/lib/health/checkHealth'
import { withHttpMetrics } from '@/lib/metrics/httpMetrics'

export const dynamic = 'force-dynamic'

/** GET /api/health (readiness) and /api/health?probe=live (liveness): no auth, nothing secret. docs/OPERATIONS.md */
export const GET = withHttpMetrics(async (request: Request) => {
  const live = new URL(request.url).searchParams.get('probe') === 'live'
  const report = await checkHealth({ getPayload: () => getPayload({ config }), live })
  return Response.json(report, { status: report.status === 'ok' ? 200 : 503, headers: { 'Cache-Control': 'no-store' } })
})
