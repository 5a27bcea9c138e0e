import config from '@payload-config'
import { getPayload } from 'payload'

import { metricsResponse } from '@/monitoring/metricsResponse'
import { collectOpsMetrics } from '@/ops/metrics/opsMetrics'

export const dynamic = 'force-dynamic'

/** GET /api/metrics: Prometheus text, Authorization: Bearer <METRICS_TOKEN>. docs/OPERATIONS.md */
export const GET = (request: Request) => metricsResponse({ request, getPayload: () => getPayload({ config }), collectors: [collectOpsMetrics] })
