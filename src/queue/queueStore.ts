import type { Payload } from 'payload'

import mongoose from 'mongoose'

import { slugs } from '../model/slugs'

/**
 * The raw collections of the task engine (docs/QUEUE.md). The engine writes them through the driver, not the
 * Local API: each write is one document, the arbiter of every race is an insert into a unique `_id`, and the
 * collection hooks (which refuse engine-owned fields from clients) must not see the engine's own writes.
 */
export type ObjectId = mongoose.Types.ObjectId
export type RawCollection = mongoose.mongo.Collection

/** One per task attempt: `_id` `<taskId>:<attempt>`, so exactly one claimant wins each attempt, on every engine. */
export type LeaseDoc = {
  _id: string
  task: ObjectId
  attempt: number
  workerId: string
  /** The user (API key owner) the worker authenticated as; the lease is only theirs. */
  holder: string | null
  claimedAt: Date
  expiresAt: Date
  heartbeatAt: Date
}

export type AttemptOutcome = 'completed' | 'failed' | 'expired' | 'cancelled'

/**
 * How an attempt ended, with the status the task takes because of it: `_id` equals its lease's, so exactly one
 * ending lands per attempt (the holder's result, the reaper's expiry or a cancellation, never two). The task
 * document is a projection of its latest lease and settlement, re-applied by `reconcile` if a write was lost.
 */
export type SettlementDoc = {
  _id: string
  task: ObjectId
  attempt: number
  outcome: AttemptOutcome
  /** The status the task moves to. */
  next: 'completed' | 'queued' | 'failed' | 'cancelled'
  at: Date
  claimedAt: Date
  workerId: string
  output?: { mediaId?: ObjectId | null; result?: unknown; metrics?: { cost?: number | null; tokensUsed?: number | null } }
  error?: { code: string; message: string }
  /** Failed or expired attempts of the task so far, this one included. */
  retryCount: number
  /** When `next` is queued: not claimable before this time (the backoff). */
  availableAt?: Date
}

/** `by`: who asked (for the audit entry of the cancellation it causes); absent for the engine's own cascades. */
export type CancelRequestDoc = { _id: string; reason: string; at: Date; by?: { id: string; viaApiKey: boolean } | null }

/** One per reaper period (`_id` = the period's number): the process whose insert lands runs that period's sweep. */
export type ReaperTurnDoc = { _id: number; at: Date }

export const queueCollectionNames = {
  leases: 'task_leases',
  settlements: 'task_settlements',
  cancelRequests: 'task_cancel_requests',
  reaperTurns: 'task_reaper_turns',
} as const

export type QueueCollections = {
  tasks: RawCollection
  leases: mongoose.mongo.Collection<LeaseDoc>
  settlements: mongoose.mongo.Collection<SettlementDoc>
  cancelRequests: mongoose.mongo.Collection<CancelRequestDoc>
  reaperTurns: mongoose.mongo.Collection<ReaperTurnDoc>
  /** The database they live in. */
  db: mongoose.mongo.Db
}

export function queueCollections(payload: Payload): QueueCollections {
  return queueCollectionsOf(payload.db.collections[slugs.tasks].db.db!)
}

/** The same collections on a plain driver database (the concurrency proof and the benchmark run workers on their own connections). */
export function queueCollectionsOf(db: mongoose.mongo.Db): QueueCollections {
  return {
    tasks: db.collection(slugs.tasks),
    leases: db.collection<LeaseDoc>(queueCollectionNames.leases),
    settlements: db.collection<SettlementDoc>(queueCollectionNames.settlements),
    cancelRequests: db.collection<CancelRequestDoc>(queueCollectionNames.cancelRequests),
    reaperTurns: db.collection<ReaperTurnDoc>(queueCollectionNames.reaperTurns),
    db,
  }
}

export const attemptKey = (taskId: string, attempt: number) => `${taskId}:${attempt}`

export const toObjectId = (id: string): ObjectId => new mongoose.Types.ObjectId(id)

export { isDuplicateKeyError } from '../db/duplicateKey'

/**
 * Indexes the engine's queries need, beyond what Payload declares (its compound indexes are ascending only):
 * the queue order (status, priority desc, createdAt) and the per-task lookups of leases and settlements.
 * createIndex is idempotent; both engines accept these.
 */
export const queueIndexes: { collection: 'tasks' | 'leases' | 'settlements'; key: Record<string, 1 | -1> }[] = [
  // the claim's order across projects, with the id as its last key (the claim sorts by it too)
  { collection: 'tasks', key: { status: 1, priority: -1, createdAt: 1, _id: 1 } },
  { collection: 'tasks', key: { 'input.dependencies': 1 } },
  { collection: 'leases', key: { task: 1, attempt: -1 } },
  { collection: 'settlements', key: { task: 1, attempt: -1 } },
]

export async function ensureQueueIndexes(payload: Payload): Promise<void> {
  await ensureQueueIndexesOn(queueCollections(payload))
}

export async function ensureQueueIndexesOn(collections: QueueCollections): Promise<void> {
  for (const { collection, key } of queueIndexes) {
    await (collections[collection] as RawCollection).createIndex(key)
  }
}
