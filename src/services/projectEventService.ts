import { type Actor, principalCheck, requireUser } from './actor'

import { AppError, ForbiddenError, ValidationError } from '../errors'
import { type DeliveredEvent, getProjectEventBus, isEventId, type Subscription } from '../lib/events/projectEvents'
import { projectService } from './projectService'
import { idSchema, parseInput } from './schemas/common'

/** A comment line this often keeps proxies from closing an idle stream and tells the server a client has left. */
const HEARTBEAT_MS = Number(process.env.SSE_HEARTBEAT_MS || 15_000)
/** Chunks a client may leave unread before its stream is closed (it reconnects with Last-Event-ID). */
const MAX_UNREAD_CHUNKS = 1_000
/** What EventSource waits before reconnecting. */
const RETRY_MS = 3_000

export type OpenEventStreamArgs = {
  actor: Actor
  projectId: string
  /** The Last-Event-ID header (EventSource sends it on reconnect) or the `lastEventId` query parameter. */
  lastEventId?: string
  /** Aborted when the client disconnects. */
  signal?: AbortSignal
}

const format = ({ id, event }: DeliveredEvent) => `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`

/**
 * The live events of one project as a Server-Sent Events byte stream, for its members (projectService.findForMember:
 * 404/403 are thrown before the stream exists). Replays what followed `lastEventId` first (an `event: gap` tells the
 * client that older events were already dropped, so it should re-read the project), then live events; a heartbeat
 * comment every HEARTBEAT_MS, which also re-checks membership (a removed collaborator's stream ends). The
 * subscription and timer end when the client disconnects.
 */
async function openEventStream({ actor, projectId, lastEventId, signal }: OpenEventStreamArgs): Promise<ReadableStream<Uint8Array>> {
  const id = parseInput(idSchema, projectId)
  if (lastEventId !== undefined && !isEventId(lastEventId)) {
    throw new ValidationError({ issues: [{ path: 'Last-Event-ID', message: 'Must be an event id this stream sent (<ms>-<seq>)' }] })
  }
  await projectService.findForMember({ actor, projectId: id })
  const currentPrincipal = await principalCheck({ payload: actor.payload, user: requireUser(actor).user })

  const encoder = new TextEncoder()
  let controller!: ReadableStreamDefaultController<Uint8Array>
  let subscription: Subscription | undefined
  const timer: { heartbeat?: ReturnType<typeof setInterval> } = {}
  let closed = false
  const cleanup = () => {
    if (closed) return
    closed = true
    clearInterval(timer.heartbeat)
    subscription?.close()
    signal?.removeEventListener('abort', end)
  }
  function end() {
    if (closed) return
    cleanup()
    try {
      controller.close()
    } catch {
      // already closed or errored by the runtime
    }
  }
  const write = (text: string) => {
    if (closed) return
    // A client that stops reading would make this process hold its events forever.
    if ((controller.desiredSize ?? 0) < -MAX_UNREAD_CHUNKS) return end()
    controller.enqueue(encoder.encode(text))
  }

  const stream = new ReadableStream<Uint8Array>({
    start: (c) => void (controller = c),
    cancel: cleanup,
  })
  write(`retry: ${RETRY_MS}\n: connected to project ${id}\n\n`)
  try {
    subscription = await getProjectEventBus().subscribe({
      projectId: id,
      lastEventId,
      onEvent: (delivered) => write(format(delivered)),
      onGap: () => write(`event: gap\ndata: ${JSON.stringify({ after: lastEventId })}\n\n`),
    })
  } catch (err) {
    cleanup()
    actor.payload.logger.error({ msg: 'Subscribing to project events failed', err })
    throw new AppError({ message: 'Live events are unavailable right now; retry later', status: 503, code: 'SERVICE_UNAVAILABLE' })
  }
  if (signal?.aborted || closed) {
    end()
    return stream
  }
  signal?.addEventListener('abort', end)
  timer.heartbeat = setInterval(() => {
    write(`: heartbeat ${new Date().toISOString()}\n\n`)
    // The principal as it is now (not as captured at connect: a demoted admin, a changed password, an ended session,
    // a removed key all end the stream), and without the opening request: its per-request memos would answer with
    // the membership as it was then.
    void recheck().catch(() => {
      write(`event: revoked\ndata: ${JSON.stringify({ message: 'You are no longer allowed to follow this project' })}\n\n`)
      end()
    })
  }, HEARTBEAT_MS)
  async function recheck() {
    const user = await currentPrincipal()
    if (!user) throw new ForbiddenError({ message: 'The account changed since the stream opened' })
    await projectService.findForMember({ actor: { payload: actor.payload, user }, projectId: id })
  }
  return stream
}

export const projectEventService = { openEventStream }
