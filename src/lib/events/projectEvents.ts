import { Redis } from 'ioredis'

import type { screenplayImportPhases } from '../../model/options'

import { redisReconnectOptions, watchRedisConnections } from '../redis/connectionWatch'

/** What a project's live stream carries (docs/QUEUE.md, "Live events"). */
export type ProjectEvent =
  | {
      type: 'task.status'
      taskId: string
      taskType: string
      status: string
      attempt: number
      workerId?: string
      reason?: string
      at: string
    }
  | {
      type: 'task.progress'
      taskId: string
      taskType: string
      attempt: number
      progress: { percentage?: number; currentStep?: string | null; estimatedCompletion?: string | null }
      at: string
    }
  | { type: 'media.created'; mediaId: string; mediaType: string | null; taskId?: string | null; at: string }
  | {
      /** A screenplay import's progress (docs/API.md "Screenplays and shot lists"): one per scene written, then the outcome. */
      type: 'screenplay.import'
      episodeId: string
      phase: (typeof screenplayImportPhases)[number]
      done: number
      total: number
      at: string
    }

/** An event as delivered: its id orders it within its project (`<ms>-<seq>`, Redis stream ids). */
export type DeliveredEvent = { id: string; event: ProjectEvent }

export type Subscription = { close: () => void }

export type SubscribeArgs = {
  projectId: string
  /** Replays the events after this id still in the history (oldest first) before the live ones. */
  lastEventId?: string
  onEvent: (delivered: DeliveredEvent) => void
  /** Called before the replay when events after `lastEventId` were already dropped from the history. */
  onGap?: () => void
}

export type ProjectEventBus = {
  publish: (projectId: string, event: ProjectEvent) => Promise<void>
  /** Live events of one project, after the replay of what followed `lastEventId`; in id order, each once. */
  subscribe: (args: SubscribeArgs) => Promise<Subscription>
  close: () => Promise<void>
}

/** Events kept per project for replay after a reconnect (the stream or list is trimmed to this many). */
export const EVENT_HISTORY_CAP = Number(process.env.PROJECT_EVENT_HISTORY || 500)
/** A project's history is dropped after a day without events. */
const HISTORY_TTL_SECONDS = 24 * 60 * 60

/** Compares two `<ms>-<seq>` ids; a malformed id sorts before every real one. */
export function compareEventIds(a: string, b: string): number {
  const [am, as] = parseEventId(a)
  const [bm, bs] = parseEventId(b)
  return am !== bm ? Math.sign(am - bm) : Math.sign(as - bs)
}

function parseEventId(id: string): [number, number] {
  const match = /^(\d{1,16})-(\d{1,16})$/.exec(id)
  return match ? [Number(match[1]), Number(match[2])] : [-1, -1]
}

export const isEventId = (id: string) => parseEventId(id)[0] >= 0

type Listener = (delivered: DeliveredEvent) => void

/** Per project, the in-process listeners; each is only given events newer than the last it saw. */
function createFanOut() {
  const byProject = new Map<string, Set<Listener>>()
  return {
    add(projectId: string, listener: Listener): { remove: () => boolean } {
      let set = byProject.get(projectId)
      if (!set) byProject.set(projectId, (set = new Set()))
      set.add(listener)
      return {
        // Whether this was the project's last listener.
        remove: () => {
          set.delete(listener)
          if (set.size > 0 || byProject.get(projectId) !== set) return false
          byProject.delete(projectId)
          return true
        },
      }
    },
    deliver(projectId: string, delivered: DeliveredEvent) {
      for (const listener of byProject.get(projectId) ?? []) {
        try {
          listener(delivered)
        } catch {
          // A closed stream's listener must not keep the others from their event.
        }
      }
    },
  }
}

/**
 * Delivers a subscriber's events in id order, each once: live events that arrive while the history is being read
 * are held, then the replay is passed on, then the held events newer than the replay's last.
 */
function orderedDelivery(after: string | undefined, onEvent: Listener) {
  let last = after
  let held: DeliveredEvent[] | null = []
  const pass = (delivered: DeliveredEvent) => {
    if (last && compareEventIds(delivered.id, last) <= 0) return
    last = delivered.id
    onEvent(delivered)
  }
  return {
    listener: (delivered: DeliveredEvent) => (held ? held.push(delivered) : pass(delivered)),
    release: (replay: DeliveredEvent[]) => {
      replay.forEach(pass)
      const waiting = held ?? []
      held = null
      waiting.forEach(pass)
    },
  }
}

/** Projects whose history one instance keeps in memory (the most recently active); older ones are forgotten. */
const LOCAL_HISTORY_PROJECTS = 1_000

/** One instance only: history in memory (a bounded array per project), fan-out to this process's streams. */
export function createLocalProjectEventBus({ cap = EVENT_HISTORY_CAP, now = () => Date.now() } = {}): ProjectEventBus {
  const history = new Map<string, { events: DeliveredEvent[]; trimmed: boolean }>()
  const fanOut = createFanOut()
  let lastMs = 0
  let seq = 0
  const nextId = () => {
    const ms = now()
    if (ms > lastMs) {
      lastMs = ms
      seq = 0
    } else seq++
    return `${lastMs}-${seq}`
  }
  return {
    publish: async (projectId, event) => {
      const delivered = { id: nextId(), event }
      const entry = history.get(projectId) ?? { events: [], trimmed: false }
      entry.events.push(delivered)
      if (entry.events.length > cap) {
        entry.events.splice(0, entry.events.length - cap)
        entry.trimmed = true
      }
      // Re-inserted so the Map's order is least recently active first.
      history.delete(projectId)
      history.set(projectId, entry)
      if (history.size > LOCAL_HISTORY_PROJECTS) history.delete(history.keys().next().value!)
      fanOut.deliver(projectId, delivered)
    },
    subscribe: async ({ projectId, lastEventId, onEvent, onGap }) => {
      const { listener, release } = orderedDelivery(lastEventId, onEvent)
      const { remove } = fanOut.add(projectId, listener)
      const entry = history.get(projectId)
      const replay = lastEventId ? (entry?.events ?? []).filter(({ id }) => compareEventIds(id, lastEventId) > 0) : []
      if (lastEventId && entry?.trimmed && entry.events.length > 0 && compareEventIds(entry.events[0].id, lastEventId) > 0) onGap?.()
      release(replay)
      return { close: () => void remove() }
    },
    close: async () => {},
  }
}

const streamKey = (projectId: string) => `events:project:${projectId}`
const liveChannel = (projectId: string) => `events:live:${projectId}`

/**
 * Shared by every instance through Redis: each event is appended to the project's stream (XADD, trimmed to the cap,
 * which also assigns the id) and published on the project's channel in one MULTI, so channel order is id order.
 * Each instance subscribes to a project's channel while it has a stream open for it. A reconnect reads what it
 * missed with XRANGE from its Last-Event-ID.
 */
export function createRedisProjectEventBus({
  url,
  cap = EVENT_HISTORY_CAP,
  log,
}: {
  url: string
  cap?: number
  log: (args: { msg: string; err?: unknown }) => void
}): ProjectEventBus {
  const options = { maxRetriesPerRequest: 1, connectTimeout: 2000, ...redisReconnectOptions }
  const watch = watchRedisConnections({ name: 'project events', log })
  const commands = watch(new Redis(url, options))
  const subscriber = watch(new Redis(url, options))
  const fanOut = createFanOut()
  subscriber.on('message', (channel: string, message: string) => {
    if (!channel.startsWith('events:live:')) return
    try {
      fanOut.deliver(channel.slice('events:live:'.length), JSON.parse(message) as DeliveredEvent)
    } catch (err) {
      log({ msg: 'Malformed project event', err })
    }
  })
  // Listeners are counted by the fan-out: the channel is left when a project's last stream closes. SUBSCRIBE and
  // UNSUBSCRIBE run in order on one connection.
  return {
    publish: async (projectId, event) => {
      try {
        const data = JSON.stringify(event)
        // The id comes from XADD, the message needs it: a Lua script does both inside Redis, atomically and in order.
        await commands.eval(
          `local id = redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[1], '*', 'e', ARGV[2])
           redis.call('EXPIRE', KEYS[1], ARGV[3])
           redis.call('PUBLISH', ARGV[4], '{"id":"' .. id .. '","event":' .. ARGV[2] .. '}')
           return id`,
          1,
          streamKey(projectId),
          String(cap),
          data,
          String(HISTORY_TTL_SECONDS),
          liveChannel(projectId),
        )
      } catch (err) {
        // The task's state is in the database either way; a client that missed this event sees it on its next read.
        log({ msg: 'Publishing a project event failed', err })
      }
    },
    subscribe: async ({ projectId, lastEventId, onEvent, onGap }) => {
      const { listener, release } = orderedDelivery(lastEventId, onEvent)
      const { remove } = fanOut.add(projectId, listener)
      const close = () => {
        if (remove()) subscriber.unsubscribe(liveChannel(projectId)).catch(() => {})
      }
      try {
        // Subscribed before the history is read, so nothing falls between the two (duplicates are filtered). SUBSCRIBE
        // is idempotent, and awaiting it each time means this stream's channel is live before its replay is read.
        await subscriber.subscribe(liveChannel(projectId))
        if (!lastEventId) {
          release([])
          return { close }
        }
        const key = streamKey(projectId)
        const [entries, oldest, length] = await Promise.all([
          commands.xrange(key, `(${lastEventId}`, '+', 'COUNT', cap),
          commands.xrange(key, '-', '+', 'COUNT', 1),
          commands.xlen(key),
        ])
        const replay: DeliveredEvent[] = []
        for (const [id, fields] of entries) {
          const data = fields[fields.indexOf('e') + 1]
          if (data) replay.push({ id, event: JSON.parse(data) as ProjectEvent })
        }
        // The stream is trimmed to exactly `cap`: full and starting after the client's last id means some are gone.
        if (length >= cap && oldest.length > 0 && compareEventIds(oldest[0][0], lastEventId) > 0) onGap?.()
        release(replay)
        return { close }
      } catch (err) {
        close()
        throw err
      }
    },
    close: async () => {
      commands.disconnect()
      subscriber.disconnect()
    },
  }
}

const holder = globalThis as typeof globalThis & { __projectEventBus?: ProjectEventBus }

/** The process's bus: Redis when REDIS_URL is set (every instance sees every event), in-process otherwise. */
export function getProjectEventBus(): ProjectEventBus {
  if (!holder.__projectEventBus) {
    const url = process.env.REDIS_URL
    const log = ({ msg, err }: { msg: string; err?: unknown }) =>
      console.error(`[events] ${msg}${err instanceof Error ? `: ${err.message}` : ''}`)
    holder.__projectEventBus = url ? createRedisProjectEventBus({ url, log }) : createLocalProjectEventBus()
  }
  return holder.__projectEventBus
}

/** Closes and forgets the process's bus (tests switch backends; scripts exit). */
export async function resetProjectEventBus() {
  const bus = holder.__projectEventBus
  holder.__projectEventBus = undefined
  await bus?.close()
}
