import config from '@payload-config'
import { getPayload } from 'payload'

import { metricsResponse } from '@/monitoring/metricsResponse'

export const dynamic = 'force-dynamic'

/** GET /api/metrics: Prometheus text, Authorization: Bearer <METRICS_TOKEN>. docs/OPERATIONS.md */
export const GET = (request: Request) => metricsResponse({ request, getPayload: () => getPayload({ config }) })
