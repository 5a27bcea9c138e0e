import { z } from 'zod'

import { projectEventSchema } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'

/** The contract of /api/v1/projects/{id}/events (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/projects/{id}/events', {
  get: {
    operationId: 'streamProjectEvents',
    summary:
      "Members: Server-Sent Events of the project's task status and progress changes, new media and screenplay import progress, live across instances; a reconnect with Last-Event-ID replays what it missed (the last 500 events per project are kept)",
    query: z.object({ lastEventId: z.string().optional().describe('For clients that cannot send the Last-Event-ID header') }).strict(),
    headers: [{ name: 'Last-Event-ID', description: 'The id of the last event received: the events after it are replayed first', schema: z.string() }],
    response: {
      status: 200,
      contentType: 'text/event-stream',
      schema: projectEventSchema,
      description:
        'An event stream: `id: <ms>-<seq>`, `event: task.status | task.progress | media.created | screenplay.import`, `data: <ProjectEvent JSON>`; `event: gap` when events after Last-Event-ID were already dropped (re-read the project), `event: revoked` before the stream ends for a removed member; a `: heartbeat` comment every 15 s',
    },
    errors: [400, 401, 403, 404, 503],
  },
})
