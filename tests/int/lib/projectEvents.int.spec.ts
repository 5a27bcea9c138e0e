import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'

import {
  createLocalProjectEventBus,
  createRedisProjectEventBus,
  type DeliveredEvent,
  type ProjectEvent,
  type ProjectEventBus,
} from '../../../src/lib/events/projectEvents'

/**
 * The project event bus on the machine's Redis (two buses = two app instances) and in process: live fan-out, replay
 * after a Last-Event-ID in id order without duplicates, the bounded history and its gap signal.
 */
const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'
const buses: ProjectEventBus[] = []
const errors: unknown[] = []
const redisBus = (cap = 5) => {
  const bus = createRedisProjectEventBus({ url: redisUrl, cap, log: ({ err }) => errors.push(err) })
  buses.push(bus)
  return bus
}
afterAll(async () => {
  await Promise.all(buses.map((bus) => bus.close()))
  expect(errors).toEqual([])
})

const projectId = () => randomBytes(12).toString('hex')
const step = (n: number): ProjectEvent => ({
  type: 'task.progress',
  taskId: 'a'.repeat(24),
  taskType: 'image_generation',
  attempt: 1,
  progress: { percentage: n },
  at: new Date().toISOString(),
})
const percentages = (events: DeliveredEvent[]) => events.map(({ event }) => (event.type === 'task.progress' ? event.progress.percentage : -1))
const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10))
  expect(check()).toBe(true)
}

describe.each([
  ['Redis, two instances', () => [redisBus(), redisBus()] as const],
  ['in process', () => [createLocalProjectEventBus({ cap: 5 }), undefined] as const],
])('%s', (_name, make) => {
  it('delivers live events in order to subscribers of that project only, and replays what followed a Last-Event-ID', async () => {
    const [publisher, other] = make()
    const reader = other ?? publisher
    const project = projectId()
    const live: DeliveredEvent[] = []
    const elsewhere: DeliveredEvent[] = []
    const subscription = await reader.subscribe({ projectId: project, onEvent: (event) => live.push(event) })
    const unrelated = await reader.subscribe({ projectId: projectId(), onEvent: (event) => elsewhere.push(event) })
    for (const n of [1, 2, 3]) await publisher.publish(project, step(n))
    await until(() => live.length === 3)
    expect(percentages(live)).toEqual([1, 2, 3])
    expect(new Set(live.map(({ id }) => id)).size).toBe(3)
    subscription.close()

    // Missed while disconnected: 4 and 5. A reconnect after event 2 gets 3, 4, 5, then live 6, each once.
    for (const n of [4, 5]) await publisher.publish(project, step(n))
    const resumed: DeliveredEvent[] = []
    let gap = false
    const again = await reader.subscribe({ projectId: project, lastEventId: live[1].id, onEvent: (event) => resumed.push(event), onGap: () => (gap = true) })
    await publisher.publish(project, step(6))
    await until(() => resumed.length === 4)
    expect(percentages(resumed)).toEqual([3, 4, 5, 6])
    expect(gap).toBe(false)
    expect(elsewhere).toEqual([])
    again.close()
    unrelated.close()
  })

  it('keeps only the last `cap` events and says so when a reconnect asks for older ones', async () => {
    const [publisher, other] = make()
    const reader = other ?? publisher
    const project = projectId()
    const first: DeliveredEvent[] = []
    const subscription = await reader.subscribe({ projectId: project, onEvent: (event) => first.push(event) })
    await publisher.publish(project, step(1))
    await until(() => first.length === 1)
    subscription.close()
    for (let n = 2; n <= 9; n++) await publisher.publish(project, step(n))
    const resumed: DeliveredEvent[] = []
    let gap = false
    const again = await reader.subscribe({ projectId: project, lastEventId: first[0].id, onEvent: (event) => resumed.push(event), onGap: () => (gap = true) })
    await until(() => resumed.length === 5)
    expect(gap).toBe(true)
    expect(percentages(resumed)).toEqual([5, 6, 7, 8, 9])
    again.close()
  })
})
