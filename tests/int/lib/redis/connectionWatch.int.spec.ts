import net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'

import { createRedisVersionStore } from '../../../../src/lib/cache/redisVersionStore'
import { createRedisProjectEventBus } from '../../../../src/lib/events/projectEvents'
import { redisRetryDelayMs } from '../../../../src/lib/redis/connectionWatch'

/**
 * An unreachable REDIS_URL costs one log line per feature and state change, and reconnects with back-off: the
 * cache and the event bus against a TCP proxy in front of the real Redis (127.0.0.1:6379) that is cut and restored.
 */
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const closers: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
})

function redisProxy() {
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    const upstream = net.connect(6379, '127.0.0.1')
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('error', () => {})
      socket.on('close', () => {
        sockets.delete(socket)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  let port = 0
  return {
    start: () => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((port = (server.address() as net.AddressInfo).port)))),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }),
  }
}

function features(url: string) {
  const lines: string[] = []
  const log = ({ msg }: { msg: string }) => lines.push(msg)
  const cache = createRedisVersionStore({ url, log })
  const events = createRedisProjectEventBus({ url, log })
  closers.push(() => cache.close?.(), () => events.close())
  return lines
}

describe('Redis connection logging', () => {
  it('backs off up to 30 s between attempts', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 50].map(redisRetryDelayMs)).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000])
  })

  it('an unreachable Redis from the start: one line per feature over several seconds', async () => {
    const lines = features('redis://127.0.0.1:1')
    await sleep(4000)
    expect(lines.filter((line) => line.startsWith('cache: Redis unreachable'))).toHaveLength(1)
    expect(lines.filter((line) => line.startsWith('project events: Redis unreachable'))).toHaveLength(1)
    expect(lines).toHaveLength(2)
  }, 30_000)

  it('Redis lost and back: one line each way per feature, and the clients reconnect', async () => {
    const proxy = redisProxy()
    const port = await proxy.start()
    const lines = features(`redis://127.0.0.1:${port}`)
    await sleep(1000)
    expect(lines).toEqual([])

    await proxy.cut()
    await sleep(4000)
    expect(lines.sort()).toEqual([expect.stringMatching(/^cache: Redis unreachable/), expect.stringMatching(/^project events: Redis unreachable/)])

    await proxy.start()
    const deadline = Date.now() + 20_000
    while (lines.length < 4 && Date.now() < deadline) await sleep(200)
    expect(lines.filter((line) => line.endsWith('Redis connection is back')).sort()).toEqual([
      'cache: Redis connection is back',
      'project events: Redis connection is back',
    ])
    await sleep(1000)
    expect(lines).toHaveLength(4)
  }, 60_000)
})
