import type { Redis, RedisOptions } from 'ioredis'

/**
 * Reconnect delays while Redis is unreachable: 0.5 s, 1 s, 2 s … doubling up to 30 s, so a missing Redis costs a
 * connection attempt every 30 s, not several a second (ioredis' default retries every 50–2000 ms).
 */
export function redisRetryDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** Math.min(Math.max(attempt - 1, 0), 6), 30_000)
}

/** Connection options every long-lived Redis client of the app shares. */
export const redisReconnectOptions: Pick<RedisOptions, 'retryStrategy'> = { retryStrategy: redisRetryDelayMs }

type Log = (args: { msg: string; err?: unknown }) => void

/**
 * Logs a group of Redis clients (one feature's connections) once per state change: one line when the first one
 * loses Redis, one when all are ready again — not one per failed reconnect of each client.
 */
export function watchRedisConnections({ name, log }: { name: string; log: Log }) {
  const clients = new Set<Redis>()
  let state: 'starting' | 'up' | 'down' = 'starting'
  return (client: Redis) => {
    clients.add(client)
    client.on('error', (err) => {
      if (state === 'down') return
      state = 'down'
      log({ msg: `${name}: Redis unreachable, retrying with back-off (up to every ${redisRetryDelayMs(Infinity) / 1000} s); logged again when it is back`, err })
    })
    client.on('ready', () => {
      if ([...clients].some((other) => other.status !== 'ready')) return
      if (state === 'down') log({ msg: `${name}: Redis connection is back` })
      state = 'up'
    })
    return client
  }
}
