import { apiRoute, otherMethods } from '@/http/apiRoute'
import { ValidationError } from '@/errors'
import { projectEventService } from '@/services/projectEventService'

import { contract } from './contract'

/**
 * GET /api/v1/projects/{id}/events — Server-Sent Events of the project's tasks (status, progress) and new media,
 * for its members. `Last-Event-ID` (or `?lastEventId=`, for clients that cannot set headers) replays what was
 * missed. Errors (401/403/404/400) are JSON, answered before the stream starts.
 */
export const GET = apiRoute<{ id: string }>(async ({ actor, params, query, request }) => {
  const unknown = Object.keys(query).filter((key) => key !== 'lastEventId')
  if (unknown.length > 0) throw new ValidationError({ issues: unknown.map((path) => ({ path, message: 'Unrecognized query parameter' })) })
  if (Array.isArray(query.lastEventId)) throw new ValidationError({ issues: [{ path: 'lastEventId', message: 'Give one value' }] })
  const stream = await projectEventService.openEventStream({
    actor,
    projectId: params.id,
    lastEventId: request.headers.get('last-event-id') || query.lastEventId,
    signal: request.signal,
  })
  return new Response(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      // no-transform: Next's gzip would otherwise buffer the stream; X-Accel-Buffering: nginx passes it through.
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    },
  })
}, { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })

// Every request is a new stream.
export const dynamic = 'force-dynamic'
