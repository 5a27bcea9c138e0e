import { Redis } from 'ioredis'

import { redisReconnectOptions, watchRedisConnections } from '../redis/connectionWatch'
import type { VersionStore } from './versionStore'

const CHANNEL = 'cache:invalidate'
const versionKey = (tag: string) => `cache:v:${tag}`
/** Versions outlive every entry that remembers them (entries live minutes), then expire so Redis does not fill up. */
const VERSION_TTL_SECONDS = 24 * 60 * 60

/**
 * Versions kept in Redis, shared by every instance: a bump is an INCR (visible to all instances as soon as it
 * returns) followed by a PUBLISH on which every instance drops its in-process entries for those tags. While Redis
 * is unreachable `read` answers undefined, so nothing is served from or stored in the cache.
 */
export function createRedisVersionStore({
  url,
  log,
}: {
  url: string
  log: (args: { msg: string; err?: unknown }) => void
}): VersionStore {
  const options = { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2000, lazyConnect: false, ...redisReconnectOptions }
  const watch = watchRedisConnections({ name: 'cache', log })
  const commands = watch(new Redis(url, options))
  const subscriber = watch(new Redis(url, { ...options, enableOfflineQueue: true }))
  const bumpListeners: ((tags: string[]) => void)[] = []
  const resetListeners: (() => void)[] = []
  const reset = () => resetListeners.forEach((listener) => listener())

  let hasBeenReady = false
  // After a reconnect, bumps may have been missed: forget every in-process entry.
  commands.on('ready', () => {
    if (hasBeenReady) reset()
    hasBeenReady = true
  })
  // Subscribed on every ready, not once at creation: a first SUBSCRIBE sent while Redis is unreachable fails, and
  // ioredis only re-subscribes channels that were subscribed before (SUBSCRIBE is idempotent).
  subscriber.on('ready', () => {
    reset()
    subscriber.subscribe(CHANNEL).catch((err) => log({ msg: 'Redis cache subscribe failed', err }))
  })
  subscriber.on('message', (channel, message) => {
    if (channel !== CHANNEL) return
    try {
      const tags = JSON.parse(message) as string[]
      for (const listener of bumpListeners) listener(tags)
    } catch (err) {
      log({ msg: 'Malformed cache invalidation message', err })
    }
  })

  return {
    read: async (tags) => {
      if (commands.status !== 'ready' || subscriber.status !== 'ready') return undefined
      try {
        const values = await commands.mget(tags.map(versionKey))
        return values.map((value) => value ?? '0')
      } catch (err) {
        log({ msg: 'Redis cache read failed', err })
        return undefined
      }
    },
    bump: async (tags) => {
      try {
        const pipeline = commands.pipeline()
        for (const tag of tags) pipeline.incr(versionKey(tag)).expire(versionKey(tag), VERSION_TTL_SECONDS)
        pipeline.publish(CHANNEL, JSON.stringify(tags))
        const results = await pipeline.exec()
        const failed = results?.find(([err]) => err)
        if (failed) throw failed[0]
      } catch (err) {
        // Other instances cannot be told; they stop serving from cache as long as Redis is unreachable, and
        // drop everything when it comes back. This instance drops its own entries now.
        log({ msg: 'Redis cache invalidation failed', err })
      } finally {
        for (const listener of bumpListeners) listener(tags)
      }
    },
    onBump: (listener) => void bumpListeners.push(listener),
    onReset: (listener) => void resetListeners.push(listener),
    close: async () => {
      commands.disconnect()
      subscriber.disconnect()
    },
  }
}
