import { describe, expect, it } from 'vitest'

import { createLocalVersionStore } from '../../../src/lib/cache/localVersionStore'
import { createTagCache } from '../../../src/lib/cache/tagCache'

const newCache = (ttlMs = 60_000) => createTagCache({ versions: createLocalVersionStore(), ttlMs })

describe('tag cache', () => {
  it('serves a stored value until one of its tags is invalidated', async () => {
    const cache = newCache()
    let loads = 0
    const read = () => cache.getOrLoad({ key: 'k', tags: ['project:1'], load: async () => ({ n: ++loads }) })
    expect(await read()).toEqual({ n: 1 })
    expect(await read()).toEqual({ n: 1 })
    await cache.invalidate({ tags: ['project:2'] })
    expect(await read()).toEqual({ n: 1 })
    await cache.invalidate({ tags: ['project:1'] })
    expect(await read()).toEqual({ n: 2 })
  })

  it('does not keep a value loaded while an invalidation happened (no stale fill)', async () => {
    const cache = newCache()
    let release!: () => void
    const slowLoad = cache.getOrLoad({
      key: 'k',
      tags: ['t'],
      load: () => new Promise<string>((resolve) => (release = () => resolve('old'))),
    })
    await new Promise((resolve) => setTimeout(resolve, 0))
    await cache.invalidate({ tags: ['t'] }) // the write lands while the read is in flight
    release()
    expect(await slowLoad).toBe('old') // that caller saw the pre-write value, fine…
    expect(await cache.getOrLoad({ key: 'k', tags: ['t'], load: async () => 'new' })).toBe('new') // …nobody after it
  })

  it('expires entries, refuses values shouldStore rejects, and hands out copies', async () => {
    const cache = newCache(1)
    await cache.getOrLoad({ key: 'k', tags: ['t'], load: async () => 'first' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(await cache.getOrLoad({ key: 'k', tags: ['t'], load: async () => 'second' })).toBe('second')

    const other = newCache()
    await other.getOrLoad({ key: 'missing', tags: ['t'], load: async () => null, shouldStore: (value) => value !== null })
    expect(other.size()).toBe(0)

    const doc = await other.getOrLoad({ key: 'doc', tags: ['t'], load: async () => ({ title: 'A' }) })
    doc.title = 'mutated'
    expect(await other.getOrLoad({ key: 'doc', tags: ['t'], load: async () => ({ title: 'B' }) })).toEqual({ title: 'A' })
  })
})
