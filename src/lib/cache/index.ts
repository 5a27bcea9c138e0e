import { createLocalVersionStore } from './localVersionStore'
import { createRedisVersionStore } from './redisVersionStore'
import { createTagCache, type TagCache } from './tagCache'

export type { TagCache } from './tagCache'

const holder = globalThis as typeof globalThis & { __appCache?: TagCache }

/**
 * The process-wide cache of service reads (projects, characters). With REDIS_URL set, tag versions live in Redis
 * and invalidations travel over pub/sub, so every instance behind a load balancer sees a write at once; without
 * it the cache is correct for one instance only. Kept on globalThis so Next's module reloading shares one.
 */
export function getCache(): TagCache {
  if (!holder.__appCache) {
    const redisUrl = process.env.REDIS_URL
    const log = ({ msg, err }: { msg: string; err?: unknown }) =>
      console.error(`[cache] ${msg}${err instanceof Error ? `: ${err.message}` : ''}`)
    holder.__appCache = createTagCache({
      versions: redisUrl ? createRedisVersionStore({ url: redisUrl, log }) : createLocalVersionStore(),
      ttlMs: Number(process.env.CACHE_TTL_MS || 5 * 60_000),
    })
  }
  return holder.__appCache
}

/** Closes and forgets the process's cache, so the next getCache() reads REDIS_URL again (tests switch backends). */
export async function resetCache() {
  const cache = holder.__appCache
  holder.__appCache = undefined
  await cache?.close()
}

/** Cache tags, one place so services and invalidation hooks agree. */
export const cacheTags = {
  project: (id: string) => `project:${id}`,
  character: (id: string) => `character:${id}`,
  /** The in-memory embedding rows of one project's media (src/search/vectors/mediaVectorIndex.ts). */
  mediaVectors: (projectId: string) => `media-vectors:${projectId}`,
}
