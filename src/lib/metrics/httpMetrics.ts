import { metrics } from './registry'

type Handler<C> = (request: Request, context: C) => Promise<Response> | Response

/**
 * A route's label: its path with ids, numbers and file names replaced, so the label set stays small whatever
 * the traffic (/api/v1/projects/65f…/media → /api/v1/projects/:id/media; /api/media/file/a.png → /api/media/file/:file).
 */
export function routeTemplate(pathname: string): string {
  const segments = pathname.split('/').filter(Boolean).slice(0, 6)
  return `/${segments
    .map((segment) => {
      if (/^[0-9a-f]{24}$/i.test(segment) || /^\d+$/.test(segment) || /^[0-9a-f-]{36}$/i.test(segment)) return ':id'
      if (segment.includes('.') || segment.length > 40) return ':file'
      return segment
    })
    .join('/')}`
}

/** Wraps a Next.js route handler: counts its answers and times them by route template, method and status. */
export function withHttpMetrics<C>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    const started = performance.now()
    let status = 500
    try {
      const response = await handler(request, context)
      status = response.status
      return response
    } finally {
      const labels = { route: routeTemplate(new URL(request.url).pathname), method: request.method, status: String(status) }
      metrics().httpRequests.inc(labels)
      metrics().httpDuration.observe(labels, (performance.now() - started) / 1000)
    }
  }
}
