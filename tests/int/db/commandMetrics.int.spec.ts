import type { Payload } from 'payload'

import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

import { DEFAULT_SLOW_COMMAND_MS, slowCommandThresholdMs } from '../../../src/db/commandMetrics'
import { commandShape, keyPaths } from '../../../src/db/commandShape'
import { metrics } from '../../../src/lib/metrics/registry'
import { createTestPayload } from '../../helpers/payload'

/** Database command metrics and the slow-command log, on the real driver and database, threshold lowered to 0 ms. */
let payload: Payload
let cleanup: () => Promise<void>
beforeAll(async () => {
  process.env.SLOW_COMMAND_MS = '0'
  ;({ payload, cleanup } = await createTestPayload('command-metrics'))
})
afterAll(async () => {
  delete process.env.SLOW_COMMAND_MS
  await cleanup?.()
})

describe('slow commands', () => {
  it('are logged with their shape and plan, never their values', async () => {
    const warn = vi.spyOn(payload.logger, 'warn')
    const secret = 'secret-title-value-7f3a'
    await payload.find({ collection: 'projects', where: { title: { equals: secret }, status: { in: ['on-hold', 'concept'] } }, sort: '-createdAt' })
    await vi.waitFor(
      () =>
        expect(
          warn.mock.calls.some(([entry]) => {
            const logged = (entry as { slowCommand?: { collection: string; command: string } }).slowCommand
            return logged?.collection === 'projects' && logged.command === 'find' && JSON.stringify(logged).includes('title')
          }),
        ).toBe(true),
      { timeout: 10_000 },
    )
    const entries = warn.mock.calls
      .map(([entry]) => (entry as { slowCommand?: Record<string, unknown> }).slowCommand)
      .filter((entry) => entry?.collection === 'projects' && entry.command === 'find' && (entry.filterKeys as string[]).some((key) => key.includes('title')))
    expect(entries.length).toBeGreaterThan(0)
    const [logged] = entries
    expect(logged, JSON.stringify(logged)).toMatchObject({ collection: 'projects', command: 'find', thresholdMs: 0 })
    expect(logged!.sortKeys).toEqual(expect.arrayContaining(['createdAt']))
    expect(logged!.filterKeys).toEqual(expect.arrayContaining([expect.stringMatching(/title/), expect.stringMatching(/status\.\$in/)]))
    // FerretDB explains what it pushed down; MongoDB names the winning plan's stages.
    expect(logged!.plan, JSON.stringify(logged)).toMatch(/filterPushdown|SCAN/)
    const everything = JSON.stringify(warn.mock.calls)
    expect(everything).not.toContain(secret)
    expect(everything).not.toContain('on-hold')
    warn.mockRestore()
  })

  it('are counted, beside every command’s latency by collection and command', async () => {
    await payload.count({ collection: 'episodes' })
    const text = await metrics().registry.metrics()
    expect(text).toMatch(/db_command_duration_seconds_count\{collection="episodes",command="count",outcome="ok"\} [1-9]/)
    expect(text).toMatch(/db_slow_commands_total\{collection="projects",command="find"\} [1-9]/)
    expect(text).toMatch(/db_pool_connections\{state="in_use"\} \d+/)
    expect(text).toMatch(/db_pool_connections\{state="available"\} \d+/)
  })

  it('default to the data design’s 1000 ms, SLOW_COMMAND_MS overriding it', () => {
    expect(slowCommandThresholdMs()).toBe(0)
    const saved = process.env.SLOW_COMMAND_MS
    delete process.env.SLOW_COMMAND_MS
    expect(slowCommandThresholdMs()).toBe(DEFAULT_SLOW_COMMAND_MS)
    expect(DEFAULT_SLOW_COMMAND_MS).toBe(1000)
    process.env.SLOW_COMMAND_MS = 'nonsense'
    expect(slowCommandThresholdMs()).toBe(1000)
    process.env.SLOW_COMMAND_MS = saved
  })
})

describe('command shapes', () => {
  it('keep field paths and operators and drop values', () => {
    expect(keyPaths({ project: { $in: ['a', 'b'] }, $or: [{ status: 'queued' }, { 'production.status': { $ne: 'x' } }], name: /re/ })).toEqual([
      '$or.production.status.$ne',
      '$or.status',
      'name',
      'project.$in',
    ])
  })

  it('read the sort keys whether the driver sends them as a Map (find) or an object (aggregate)', () => {
    const find = commandShape('find', { find: 'tasks', filter: {}, sort: new Map([['priority', -1], ['createdAt', 1]]) })
    expect(find.sortKeys).toEqual(['priority', 'createdAt'])
    const aggregate = commandShape('aggregate', { aggregate: 'tasks', pipeline: [{ $match: { status: 'queued' } }, { $sort: { createdAt: -1 } }] })
    expect(aggregate).toMatchObject({ collection: 'tasks', filterKeys: ['status'], sortKeys: ['createdAt'] })
  })
})
