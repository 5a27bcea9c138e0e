import type { RateLimiterAbstract } from 'rate-limiter-flexible'

import { Redis } from 'ioredis'
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible'

import { redisReconnectOptions, watchRedisConnections } from '../redis/connectionWatch'
import { type Budget, type PolicyName, resolvePolicy } from './policies'

export type Scope = 'ip' | 'user' | 'userAtIp' | 'knownSource' | 'project'

type Registry = { limiters: Map<string, RateLimiterAbstract>; redis?: Redis }

// One registry per process, shared by every bundle that imports this module (route handlers, Payload hooks).
const registry: Registry = ((globalThis as { __rateLimiters?: Registry }).__rateLimiters ??= { limiters: new Map() })

function redisClient(url: string): Redis {
  if (!registry.redis) {
    // Commands wait for the connection (offline queue) but fail after one retry when Redis is down; the in-memory
    // insurance limiter then decides.
    const log = ({ msg, err }: { msg: string; err?: unknown }) => console.error(`[rate-limit] ${msg}${err instanceof Error ? `: ${err.message}` : ''}`)
    registry.redis = watchRedisConnections({ name: 'rate limits', log })(new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, ...redisReconnectOptions }))
  }
  return registry.redis
}

/**
 * The limiter for one policy and scope: in memory by default, in Redis when REDIS_URL is set (with an in-memory
 * insurance limiter of the same budget if Redis fails). Built once per process and budget.
 */
export function getLimiter(policy: PolicyName, scope: Scope, env: Record<string, string | undefined> = process.env): RateLimiterAbstract {
  const budget: Budget | undefined = resolvePolicy(policy, env)[scope]
  if (!budget) throw new Error(`Rate-limit policy ${policy} has no ${scope} budget`)
  const prefix = `${env.RATE_LIMIT_PREFIX ?? 'rl'}:${policy}:${scope}`
  const cacheKey = `${prefix}:${budget.points}:${budget.duration}:${budget.blockDuration}:${env.REDIS_URL ?? 'memory'}`
  let limiter = registry.limiters.get(cacheKey)
  if (!limiter) {
    const options = { keyPrefix: prefix, ...budget }
    const memory = new RateLimiterMemory(options)
    limiter = env.REDIS_URL
      ? new RateLimiterRedis({ ...options, storeClient: redisClient(env.REDIS_URL), insuranceLimiter: memory })
      : memory
    registry.limiters.set(cacheKey, limiter)
  }
  return limiter
}

/** Closes the Redis connection (tests). */
export async function closeRateLimitStore(): Promise<void> {
  registry.limiters.clear()
  if (registry.redis) {
    const client = registry.redis
    registry.redis = undefined
    await client.quit().catch(() => client.disconnect())
  }
}
