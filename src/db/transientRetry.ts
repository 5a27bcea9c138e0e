import { AsyncLocalStorage } from 'node:async_hooks'

import type { BaseDatabaseAdapter, Payload } from 'payload'

import { ConflictError } from '../errors'

/**
 * MongoDB aborts a transaction that loses a write race (WriteConflict, 112), and one hit by a failover or an
 * aborted session, with the `TransientTransactionError` label: the whole transaction may be run again and then
 * succeed. Payload does not retry, so without this such a race answers 500. FerretDB has no transactions and never
 * raises these; the retries below then never happen.
 */
export function isTransientTransactionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false
  const labelled = err as { errorLabels?: unknown; hasErrorLabel?: (label: string) => boolean; code?: unknown }
  if (typeof labelled.hasErrorLabel === 'function' && labelled.hasErrorLabel('TransientTransactionError')) return true
  if (Array.isArray(labelled.errorLabels) && labelled.errorLabels.includes('TransientTransactionError')) return true
  return Number(labelled.code) === 112
}

/** What one attempt of an operation met: a transient database error, a committed transaction. */
type Attempt = { transient: boolean; committed: boolean; parent?: Attempt }
const attempts = new AsyncLocalStorage<Attempt>()

const markAll = (key: 'transient' | 'committed') => {
  for (let attempt = attempts.getStore(); attempt; attempt = attempt.parent) attempt[key] = true
}

/** The bounded retries: 4 attempts in all, full jitter on an exponential base (so racing retriers spread out). */
export const transientRetryPolicy = { attempts: 4, baseDelayMs: 15 }

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * transientRetryPolicy.baseDelayMs * 2 ** attempt))

/** The error the caller gets once the retries are spent: the race is real and the client may retry later. */
export const retriesSpent = () =>
  new ConflictError({ message: 'The change collided with concurrent changes to the same data and was not applied; retry it.' })

/**
 * Runs `run` again while its attempt met a transient transaction error (thrown, or seen by the adapter and answered
 * by Payload as an error response) and no transaction of the attempt committed — an attempt that committed a part
 * is not run twice (that part would be written again). `failed` says whether a returned value is a failure (a
 * rendered error response). When the retries are spent a thrown transient error becomes a 409 (retriesSpent), and a
 * failed result is replaced by `spent()`.
 */
export async function retryTransient<T>(
  run: () => Promise<T>,
  { failed, spent }: { failed?: (result: T) => boolean; spent?: () => T } = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const state: Attempt = { transient: false, committed: false, parent: attempts.getStore() }
    const last = attempt === transientRetryPolicy.attempts - 1
    try {
      const result = await attempts.run(state, run)
      if (!state.transient || state.committed || !(failed?.(result) ?? false)) return result
      if (last) return spent ? spent() : result
    } catch (err) {
      const transient = isTransientTransactionError(err) || state.transient
      if (!transient) throw err
      if (state.committed || last) throw isTransientTransactionError(err) ? retriesSpent() : err
    }
    await backoff(attempt)
  }
}

/**
 * Wraps an adapter so each attempt learns what it met: a transient error from any database call (REST and GraphQL
 * render errors into a response, so the route wrapper cannot see the error itself), and a committed transaction.
 */
export function withTransientMarks<T extends BaseDatabaseAdapter>(adapter: T): T {
  const methods = adapter as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
  for (const name of databaseCalls) {
    const original = methods[name]
    if (typeof original !== 'function') continue
    methods[name] = async function (this: T, ...args: unknown[]) {
      try {
        const result = await original.apply(this, args)
        if (name === 'commitTransaction') markAll('committed')
        return result
      } catch (err) {
        if (isTransientTransactionError(err)) markAll('transient')
        throw err
      }
    }
  }
  return adapter
}

/** The adapter's calls that reach the database inside an operation (all async). */
const databaseCalls = [
  'beginTransaction',
  'commitTransaction',
  'count',
  'countGlobalVersions',
  'countVersions',
  'create',
  'createGlobal',
  'createGlobalVersion',
  'createVersion',
  'deleteMany',
  'deleteOne',
  'deleteVersions',
  'find',
  'findDistinct',
  'findGlobal',
  'findGlobalVersions',
  'findOne',
  'findVersions',
  'queryDrafts',
  'updateGlobal',
  'updateGlobalVersion',
  'updateMany',
  'updateOne',
  'updateVersion',
  'upsert',
] as const

const writeOperations = ['create', 'update', 'delete', 'duplicate', 'restoreVersion', 'restoreGlobalVersion', 'updateGlobal'] as const

/**
 * Each Local API write that opens its own transaction (no `req.transactionID` yet) is retried whole on a transient
 * transaction error: services, the worker and scripts all write through the Local API. A write nested in another
 * operation's transaction is left to that operation (its transaction is the unit that is retried).
 */
export function retryLocalWrites(payload: Payload) {
  const api = payload as unknown as Record<string, (options: { req?: { transactionID?: unknown } }) => Promise<unknown>>
  for (const name of writeOperations) {
    const original = api[name]
    if (typeof original !== 'function' || (original as { retries?: boolean }).retries) continue
    const wrapped = function (this: Payload, options: { req?: { transactionID?: unknown } }) {
      if (options?.req?.transactionID) return original.call(this, options)
      return retryTransient(() => original.call(this, options))
    }
    ;(wrapped as { retries?: boolean }).retries = true
    api[name] = wrapped
  }
}
