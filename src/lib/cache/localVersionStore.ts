import type { VersionStore } from './versionStore'

/** Versions kept in this process: correct for a single instance. */
export function createLocalVersionStore(): VersionStore {
  const versions = new Map<string, number>()
  const bumpListeners: ((tags: string[]) => void)[] = []
  return {
    read: async (tags) => tags.map((tag) => String(versions.get(tag) ?? 0)),
    bump: async (tags) => {
      for (const tag of tags) versions.set(tag, (versions.get(tag) ?? 0) + 1)
      for (const listener of bumpListeners) listener(tags)
    },
    onBump: (listener) => void bumpListeners.push(listener),
    onReset: () => {},
    close: async () => {},
  }
}
