import os from 'node:os'
import { Worker } from 'node:worker_threads'

/** Scales a vector to unit length (a zero vector stays zero), so a dot product is the cosine similarity. */
export function normalize(values: ArrayLike<number>, into: Float32Array = new Float32Array(values.length)): Float32Array {
  let sum = 0
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i]
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0
  for (let i = 0; i < values.length; i++) into[i] = values[i] * scale
  return into
}

/** Rows of unit vectors laid end to end in one Float32Array (row r at r × dimensions). */
export type VectorRows = { vectors: Float32Array; dimensions: number; count: number }

/**
 * Room for `count` rows, in shared memory so scan threads read the rows in place (a SharedArrayBuffer crosses
 * postMessage without a copy).
 */
export function allocateRows(count: number, dimensions: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(count * dimensions * Float32Array.BYTES_PER_ELEMENT))
}

/**
 * The scan, as source text: the same function runs on this thread and inside the scan threads (which evaluate this
 * text), so both paths score rows identically. Every row of [start, end) whose mask byte is not 0 is scored with a
 * dot product unrolled by eight (eight accumulators, one contiguous row: the loop V8 keeps tight) and offered to a
 * bounded top-k kept sorted best first in preallocated typed arrays: once k rows are held a row costs one
 * comparison, nothing is allocated per row, and ties keep the earlier row (strictly greater scores enter).
 */
const scanSource = `function scanRange(vectors, dimensions, start, end, query, mask, tag, top) {
  const k = top.k, scores = top.scores, rows = top.rows, tags = top.tags
  let size = top.size
  let threshold = size === k ? scores[k - 1] : -Infinity
  const unrolled = dimensions - (dimensions % 8)
  for (let row = start, offset = start * dimensions; row < end; row++, offset += dimensions) {
    if (mask !== null && mask[row] === 0) continue
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0, i = 0, j = offset
    for (; i < unrolled; i += 8, j += 8) {
      s0 += vectors[j] * query[i]
      s1 += vectors[j + 1] * query[i + 1]
      s2 += vectors[j + 2] * query[i + 2]
      s3 += vectors[j + 3] * query[i + 3]
      s4 += vectors[j + 4] * query[i + 4]
      s5 += vectors[j + 5] * query[i + 5]
      s6 += vectors[j + 6] * query[i + 6]
      s7 += vectors[j + 7] * query[i + 7]
    }
    for (; i < dimensions; i++, j++) s0 += vectors[j] * query[i]
    const score = s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7
    if (score <= threshold) continue
    let at = size < k ? size : k - 1
    while (at > 0 && scores[at - 1] < score) {
      scores[at] = scores[at - 1]
      rows[at] = rows[at - 1]
      tags[at] = tags[at - 1]
      at--
    }
    scores[at] = score
    rows[at] = row
    tags[at] = tag
    if (size < k) size++
    threshold = size === k ? scores[k - 1] : -Infinity
  }
  top.size = size
}`

type TopBuffers = { k: number; size: number; scores: Float64Array; rows: Int32Array; tags: Int32Array }
type ScanRange = (
  vectors: Float32Array,
  dimensions: number,
  start: number,
  end: number,
  query: Float32Array,
  mask: Uint8Array | null,
  tag: number,
  top: TopBuffers,
) => void

// Evaluated once from the shared source (not eval of any input): the in-thread half of "one scan, two places".
const scanRange = new Function(`return (${scanSource})`)() as ScanRange

const workerSource = `
const { parentPort } = require('node:worker_threads')
const scanRange = (${scanSource})
parentPort.on('message', ({ id, query, k, segments }) => {
  const top = { k, size: 0, scores: new Float64Array(k), rows: new Int32Array(k), tags: new Int32Array(k) }
  for (const s of segments) scanRange(s.vectors, s.dimensions, s.start, s.end, query, s.mask, s.tag, top)
  parentPort.postMessage({ id, size: top.size, scores: top.scores, rows: top.rows, tags: top.tags })
})`

/** One set of rows to search, with an optional filter: rows whose mask byte is 0 are skipped before scoring. */
export type RowSet = VectorRows & { mask?: Uint8Array }
/** A hit: which set (index into the sets given), which row of it, its cosine. */
export type Hit = { set: number; row: number; score: number }

type Segment = { vectors: Float32Array; dimensions: number; start: number; end: number; mask: Uint8Array | null; tag: number }

const newTop = (k: number): TopBuffers => ({ k, size: 0, scores: new Float64Array(k), rows: new Int32Array(k), tags: new Int32Array(k) })
const hitsOf = (top: Pick<TopBuffers, 'size' | 'scores' | 'rows' | 'tags'>): Hit[] =>
  Array.from({ length: top.size }, (_, i) => ({ set: top.tags[i], row: top.rows[i], score: top.scores[i] }))

/** Exact top-k on this thread: every accepted row of every set is scored, in order. */
export function scanTopK({ sets, query, k }: { sets: RowSet[]; query: Float32Array; k: number }): Hit[] {
  const top = newTop(k)
  sets.forEach((set, tag) => scanRange(set.vectors, set.dimensions, 0, set.count, query, set.mask ?? null, tag, top))
  return hitsOf(top)
}

// ---- Scan threads -------------------------------------------------------------------------------------------

type Pending = { resolve: (hits: Hit[]) => void; reject: (error: unknown) => void }
type ScanThread = { worker: Worker; pending: Map<number, Pending> }
type Pool = { threads: ScanThread[]; nextId: number }

const holder = globalThis as typeof globalThis & { __vectorScanPool?: Pool }

/** Threads a large scan is split across (SIMILAR_MEDIA_SCAN_THREADS; 1 scans on the calling thread). */
export const scanThreadCount = () => Math.max(1, Number(process.env.SIMILAR_MEDIA_SCAN_THREADS || Math.min(2, os.availableParallelism())))

/** Below this many multiply-adds (about a millisecond of work) a scan stays on the calling thread. */
const MIN_PARALLEL_WORK = 4_000_000

function pool(size: number): Pool {
  const current = holder.__vectorScanPool
  if (current && current.threads.length === size) return current
  for (const thread of current?.threads ?? []) void thread.worker.terminate()
  const created: Pool = { threads: [], nextId: 0 }
  for (let i = 0; i < size; i++) {
    const thread: ScanThread = { worker: new Worker(workerSource, { eval: true }), pending: new Map() }
    // Idle threads must not keep the process alive; a thread with work in flight does (ref in runOn).
    thread.worker.unref()
    thread.worker.on('message', ({ id, ...top }: { id: number } & TopBuffers) => {
      const pending = thread.pending.get(id)
      thread.pending.delete(id)
      if (thread.pending.size === 0) thread.worker.unref()
      pending?.resolve(hitsOf(top))
    })
    const fail = (error: unknown) => {
      // A dead thread fails its own scans (their callers scan on their thread) and the pool is rebuilt next time.
      if (holder.__vectorScanPool === created) holder.__vectorScanPool = undefined
      for (const pending of thread.pending.values()) pending.reject(error)
      thread.pending.clear()
    }
    thread.worker.on('error', fail)
    thread.worker.on('exit', (code) => fail(new Error(`vector scan thread exited with code ${code}`)))
    created.threads.push(thread)
  }
  holder.__vectorScanPool = created
  return created
}

function runOn(thread: ScanThread, id: number, message: { query: Float32Array; k: number; segments: Segment[] }): Promise<Hit[]> {
  return new Promise((resolve, reject) => {
    thread.pending.set(id, { resolve, reject })
    thread.worker.ref()
    thread.worker.postMessage({ id, ...message })
  })
}

/** Scan threads running now (0 before the first large scan, or after a thread died): diagnostics and tests. */
export const activeScanThreads = () => holder.__vectorScanPool?.threads.length ?? 0

/** Splits the rows of all sets into `parts` contiguous runs of about equal length (a run may span sets). */
function split(sets: RowSet[], parts: number): Segment[][] {
  const total = sets.reduce((sum, set) => sum + set.count, 0)
  const per = Math.ceil(total / parts)
  const runs: Segment[][] = Array.from({ length: parts }, () => [])
  let part = 0
  let room = per
  sets.forEach((set, tag) => {
    for (let start = 0; start < set.count; ) {
      const end = Math.min(set.count, start + room)
      runs[part].push({ vectors: set.vectors, dimensions: set.dimensions, start, end, mask: set.mask ?? null, tag })
      room -= end - start
      start = end
      if (room === 0 && part < parts - 1) {
        part++
        room = per
      }
    }
  })
  return runs
}

/** Best first; equal scores in scan order (set, then row), as one sequential scan would keep them. */
const byRank = (a: Hit, b: Hit) => b.score - a.score || a.set - b.set || a.row - b.row

/**
 * Exact cosine top-k of a unit query over the sets (every accepted row is scored: recall 1.0). Large scans over
 * shared rows are split across the scan threads (the calling thread stays free and the cores share the work);
 * the threads' top-k lists are merged here. Small scans, unshared rows, or a failed thread: this thread.
 */
export async function topKSimilar({ sets, query, k }: { sets: RowSet[]; query: Float32Array; k: number }): Promise<Hit[]> {
  const threads = scanThreadCount()
  const work = sets.reduce((sum, set) => sum + set.count * set.dimensions, 0)
  const shared = sets.every((set) => set.vectors.buffer instanceof SharedArrayBuffer)
  if (threads < 2 || work < MIN_PARALLEL_WORK || !shared) return scanTopK({ sets, query, k })
  try {
    const current = pool(threads)
    const parts = split(sets, threads)
    const results = await Promise.all(parts.map((segments, i) => runOn(current.threads[i], current.nextId++, { query, k, segments })))
    return results.flat().sort(byRank).slice(0, k)
  } catch {
    return scanTopK({ sets, query, k })
  }
}
