import { metrics } from '../metrics/registry'
import type { VersionStore } from './versionStore'

type Entry = { value: unknown; tags: string[]; versions: string[]; expiresAt: number }

export type TagCache = {
  /**
   * The cached value for `key` when it is fresh, otherwise `load()`'s result, stored under the tag versions read
   * before loading. `tags` are the tags the value depends on; an invalidation of any of them makes it stale.
   * `shouldStore` can refuse to cache a result (e.g. null).
   */
  getOrLoad: <T>(args: { key: string; tags: string[]; load: () => Promise<T>; shouldStore?: (value: T) => boolean }) => Promise<T>
  invalidate: (args: { tags: string[] }) => Promise<void>
  /**
   * Runs `listener` on this instance whenever tags are invalidated here or on another instance (through the
   * version store's channel), with 'all' when invalidations may have been missed: for in-process state that lives
   * outside the cache's entries (the media vector index).
   */
  onInvalidate: (listener: (tags: string[] | 'all') => void) => void
  /** Entries held in this process (for tests and diagnostics). */
  size: () => number
  clear: () => void
  close: () => Promise<void>
}

/**
 * An in-process cache whose freshness is decided by tag versions (see versionStore.ts). Values are cloned on the
 * way in and out, so a caller mutating a returned document cannot change what the next caller gets.
 */
export function createTagCache({
  versions,
  ttlMs = 5 * 60_000,
  maxEntries = 10_000,
}: {
  versions: VersionStore
  ttlMs?: number
  maxEntries?: number
}): TagCache {
  const entries = new Map<string, Entry>()
  const keysByTag = new Map<string, Set<string>>()

  const remove = (key: string) => {
    const entry = entries.get(key)
    if (!entry) return
    entries.delete(key)
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag)
      keys?.delete(key)
      if (keys && keys.size === 0) keysByTag.delete(tag)
    }
  }
  const dropTags = (tags: string[]) => {
    for (const tag of tags) for (const key of [...(keysByTag.get(tag) ?? [])]) remove(key)
  }
  const clear = () => {
    entries.clear()
    keysByTag.clear()
  }
  versions.onBump(dropTags)
  versions.onReset(clear)

  const store = (key: string, entry: Entry) => {
    remove(key)
    if (entries.size >= maxEntries) {
      const oldest = entries.keys().next().value
      if (oldest !== undefined) remove(oldest)
    }
    entries.set(key, entry)
    for (const tag of entry.tags) {
      const keys = keysByTag.get(tag) ?? new Set<string>()
      keys.add(key)
      keysByTag.set(tag, keys)
    }
  }

  return {
    getOrLoad: async ({ key, tags, load, shouldStore = () => true }) => {
      const current = await versions.read(tags)
      if (!current) return load()
      const entry = entries.get(key)
      if (entry && entry.expiresAt > Date.now() && sameVersions(entry, tags, current)) {
        metrics().cacheLookups.inc({ result: 'hit' })
        return structuredClone(entry.value) as Awaited<ReturnType<typeof load>>
      }
      metrics().cacheLookups.inc({ result: 'miss' })
      const value = await load()
      if (shouldStore(value)) {
        store(key, { value: structuredClone(value), tags, versions: current, expiresAt: Date.now() + ttlMs })
      }
      return value
    },
    invalidate: async ({ tags }) => {
      if (tags.length === 0) return
      dropTags(tags)
      await versions.bump(tags)
    },
    onInvalidate: (listener) => {
      versions.onBump(listener)
      versions.onReset(() => listener('all'))
    },
    size: () => entries.size,
    clear,
    close: () => versions.close(),
  }
}

function sameVersions(entry: Entry, tags: string[], current: string[]): boolean {
  if (entry.tags.length !== tags.length) return false
  return entry.tags.every((tag, index) => tag === tags[index] && entry.versions[index] === current[index])
}
