/**
 * The candidate list a process's claims share (docs/QUEUE.md, "Claim throughput"). Reading the queue in queue order
 * is the dearest step of a claim (on FerretDB v1 it reads every queued task), so one read serves many claims: each
 * claim takes the next candidate off the shared list and tries to insert its lease. A list may be stale; that costs
 * a lost insert, never correctness, because the lease insert stays the only arbiter.
 */

/**
 * How many candidates one read takes and how long the list serves, per engine; and the reaper's period (in each
 * period one claim, of any process, sweeps expired leases).
 */
export type CandidateTuning = { batch: number; ttlMs: number; reapMs: number }

export const candidateTuning = {
  // The compound index serves the read: a small list, refreshed often, keeps the queue order close to exact.
  mongodb: { batch: 32, ttlMs: 500, reapMs: 1_000 },
  // Each read (and the sweep's) scans every queued or processing task: read more at once, keep it longer, sweep
  // less often (leases last a minute by default).
  ferretdb: { batch: 128, ttlMs: 5_000, reapMs: 5_000 },
} as const satisfies Record<'mongodb' | 'ferretdb', CandidateTuning>

/**
 * Bumped when a task is enqueued (or queued again) in this process: lists read before are dropped, so a claim in
 * the same process sees a new task at once. Tasks enqueued by other processes show up when the list expires.
 */
let generation = 0
export function noteTasksEnqueued(): void {
  generation++
}

export type CandidateList<T> = {
  /** Claimable candidates (dependencies completed), in queue order; claims take them off. */
  items: T[]
  /** How many queued tasks the read returned (blocked ones included): fewer than the batch means it saw them all. */
  read: number
  /** Dependencies that held a candidate back: this process completing one of them drops the list. */
  waitingOn: Set<string>
  /** The read's sequence number: a list read after a claim began is authoritative for that claim. */
  seq: number
  readAt: number
  generation: number
}

/**
 * Lists by type selection, one read in flight per selection (claims arriving during the read wait for it and share
 * its result).
 */
export function createCandidatePool<T>({ now }: { now: () => number }) {
  type Entry = { promise: Promise<CandidateList<T>>; generation: number; list?: CandidateList<T> }
  const entries = new Map<string, Entry>()
  let seq = 0

  return {
    /** The sequence number the next read gets: a claim notes it when it starts. */
    nextSeq: () => seq + 1,

    /**
     * The shared list for `key`: the current one (or the read in flight) while it has candidates, is younger than
     * `ttlMs` and no task was enqueued here since, unless it is `exhausted` (the list the caller just used up);
     * otherwise a new read through `read`.
     */
    async get(
      key: string,
      ttlMs: number,
      read: () => Promise<Pick<CandidateList<T>, 'items' | 'read' | 'waitingOn'>>,
      exhausted?: CandidateList<T>,
    ): Promise<CandidateList<T>> {
      const entry = entries.get(key)
      if (entry && entry.generation === generation) {
        const list = entry.list ?? (await entry.promise)
        if (list !== exhausted && list.items.length > 0 && now() - list.readAt < ttlMs) return list
      }
      const readSeq = ++seq
      const readAt = now()
      const next: Entry = {
        generation,
        promise: read().then((result) => (next.list = { ...result, seq: readSeq, readAt, generation: next.generation })),
      }
      entries.set(key, next)
      next.promise.catch(() => entries.get(key) === next && entries.delete(key))
      return next.promise
    },

    /** Drops every list waiting on `taskId` (it just completed here, so its dependants may be claimable). */
    dependencyCompleted(taskId: string) {
      for (const [key, entry] of entries) if (entry.list?.waitingOn.has(taskId)) entries.delete(key)
    },
  }
}
