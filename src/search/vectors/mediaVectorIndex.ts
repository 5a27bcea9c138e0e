import type { Collection } from 'mongodb'

import { cacheTags, getCache, type TagCache } from '../../lib/cache'
import { idValues } from '../textBackends'
import { allocateRows, normalize, type VectorRows } from './cosineTopK'

/** One project's media embeddings as unit vectors, with the id and mediaType of each row. */
export type ProjectVectors = VectorRows & { ids: string[]; mediaTypes: string[] }

type Entry = { rows: Promise<ProjectVectors>; count: number; lastUsed: number }

type State = { entries: Map<string, Entry>; generations: Map<string, number>; epoch: number; subscribedTo?: TagCache }

const holder = globalThis as typeof globalThis & { __mediaVectorIndex?: State }

function state(): State {
  holder.__mediaVectorIndex ??= { entries: new Map(), generations: new Map(), epoch: 0 }
  const current = holder.__mediaVectorIndex
  const cache = getCache()
  if (current.subscribedTo !== cache) {
    // A new cache (first use, or resetCache) has a channel that has not told us anything yet: start empty.
    current.subscribedTo = cache
    current.entries.clear()
    current.epoch++
    // Media hooks invalidate cacheTags.mediaVectors(project) through the cache; the cache's channel (Redis pub/sub
    // with REDIS_URL) runs this on every instance, which drops the project's rows and bumps its generation.
    cache.onInvalidate((tags) => {
      if (tags === 'all') {
        current.entries.clear()
        current.epoch++
        return
      }
      for (const tag of tags) {
        const projectId = tag.startsWith('media-vectors:') ? tag.slice('media-vectors:'.length) : undefined
        if (projectId === undefined) continue
        current.entries.delete(projectId)
        current.generations.set(projectId, (current.generations.get(projectId) ?? 0) + 1)
      }
    })
  }
  return current
}

/** Most rows kept in memory across projects (4 bytes × dimensions each); least recently used projects go first. */
const maxCachedRows = () => Number(process.env.SIMILAR_MEDIA_MAX_VECTORS || 200_000)

async function loadProjectVectors(collection: Collection, projectId: string, dimensions: number): Promise<ProjectVectors> {
  const docs = await collection
    .find({ project: { $in: idValues([projectId]) }, embedding: { $exists: true } }, { projection: { embedding: 1, mediaType: 1 } })
    .toArray()
  // Embeddings of another length (written before EMBEDDING_DIMENSIONS changed) cannot be compared: left out.
  const usable = docs.filter((doc) => Array.isArray(doc.embedding) && doc.embedding.length === dimensions)
  const vectors = allocateRows(usable.length, dimensions)
  usable.forEach((doc, row) => normalize(doc.embedding as number[], vectors.subarray(row * dimensions, (row + 1) * dimensions)))
  return {
    vectors,
    dimensions,
    count: usable.length,
    ids: usable.map((doc) => String(doc._id)),
    mediaTypes: usable.map((doc) => String(doc.mediaType)),
  }
}

/**
 * A project's rows: read from the database once, then served from memory until a media write in that project
 * invalidates them (on any instance). A load that raced with an invalidation answers its caller but is not kept.
 */
export function getProjectVectors({
  collection,
  projectId,
  dimensions,
}: {
  collection: Collection
  projectId: string
  dimensions: number
}): Promise<ProjectVectors> {
  const current = state()
  const cached = current.entries.get(projectId)
  if (cached) {
    cached.lastUsed = Date.now()
    return cached.rows
  }
  const generation = current.generations.get(projectId) ?? 0
  const epoch = current.epoch
  const rows = loadProjectVectors(collection, projectId, dimensions)
  const entry: Entry = { rows, count: 0, lastUsed: Date.now() }
  current.entries.set(projectId, entry)
  rows.then(
    (loaded) => {
      const isStale = (current.generations.get(projectId) ?? 0) !== generation || current.epoch !== epoch
      if (isStale) {
        if (current.entries.get(projectId) === entry) current.entries.delete(projectId)
        return
      }
      entry.count = loaded.count
      evictBeyondCap(current, projectId)
    },
    () => {
      if (current.entries.get(projectId) === entry) current.entries.delete(projectId)
    },
  )
  return rows
}

function evictBeyondCap(current: State, keep: string) {
  let total = [...current.entries.values()].reduce((sum, entry) => sum + entry.count, 0)
  const byAge = [...current.entries.entries()].filter(([id]) => id !== keep).sort((a, b) => a[1].lastUsed - b[1].lastUsed)
  for (const [id, entry] of byAge) {
    if (total <= maxCachedRows()) break
    current.entries.delete(id)
    total -= entry.count
  }
}

/** Drops these projects' rows on every instance (media hooks call this after a write commits). */
export function invalidateProjectVectors(projectIds: string[]): Promise<void> {
  return getCache().invalidate({ tags: projectIds.map((id) => cacheTags.mediaVectors(id)) })
}

/** Projects whose rows this instance holds (tests and diagnostics). */
export function loadedVectorProjects(): string[] {
  return [...state().entries.keys()]
}
