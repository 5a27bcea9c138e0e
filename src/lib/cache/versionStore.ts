/**
 * Tag versions decide whether a cached entry is still fresh: an entry remembers the versions of its tags taken
 * before its value was loaded, and invalidating a tag bumps its version. Comparing versions (instead of only
 * deleting entries) also covers a load that raced with a write: it was stored under the old version, so it misses.
 */
export type VersionStore = {
  /** Current versions of the tags, in order; `undefined` when the store cannot answer (then nothing is cached). */
  read: (tags: string[]) => Promise<string[] | undefined>
  /** Bumps the tags' versions everywhere the store reaches; resolves once every later `read` sees the bump. */
  bump: (tags: string[]) => Promise<void>
  /** Registers the callback every instance runs when tags are bumped (by it or by another instance). */
  onBump: (listener: (tags: string[]) => void) => void
  /** Registers the callback run when versions may have been lost (e.g. Redis reconnected): drop everything. */
  onReset: (listener: () => void) => void
  close: () => Promise<void>
}
