import { Collection, MongoServerError } from 'mongodb'

/**
 * A fault-injection seam on the database driver, for tests only: MongoDB behaviour that FerretDB (the engine the tests
 * run on) never shows — a WriteConflict, a TransientTransactionError, a duplicate key reported as WriteConflict
 * inside a transaction — made to happen on a chosen command, and pauses between two commands so that two actors can
 * be forced through an interleaving step by step.
 *
 * Inert in production: nothing is patched until a test calls `injectFault` (then the driver's Collection methods
 * named by the armed faults are wrapped; `clearFaults` puts the originals back). Both Payload (through mongoose) and
 * the raw-driver code (reservations, claims, leases) reach the server through these methods, so one seam serves both.
 */

/** Driver commands a fault can be put on (the ones that return a promise; cursors — find, aggregate — do not). */
export type FaultCommand =
  | 'insertOne'
  | 'insertMany'
  | 'updateOne'
  | 'updateMany'
  | 'replaceOne'
  | 'deleteOne'
  | 'deleteMany'
  | 'findOne'
  | 'findOneAndUpdate'
  | 'findOneAndDelete'
  | 'findOneAndReplace'
  | 'countDocuments'
  | 'bulkWrite'

/** What a matched command does. */
export type FaultAction =
  /** Fails before reaching the server, as a transaction's write loses to a concurrent one: code 112, TransientTransactionError. */
  | 'writeConflict'
  /** Fails before reaching the server with the TransientTransactionError label only (e.g. a primary stepping down). */
  | 'transientTransactionError'
  /** Runs; a duplicate key (11000) is then reported as MongoDB does inside a transaction: 112 with the transient label. */
  | 'duplicateKeyAsWriteConflict'
  /** Awaited before the command runs (a pause: see `pauseAt`); the command then runs. */
  | ((call: FaultCall) => Promise<void>)

export type FaultCall = { collection: string; command: FaultCommand; args: unknown[] }

export type Fault = {
  collection: string
  command: FaultCommand | FaultCommand[]
  action: FaultAction
  /** Only calls this accepts are matched (e.g. one filter or document). */
  when?: (call: FaultCall) => boolean
  /** How many matched calls it acts on (default 1); later calls pass through. */
  times?: number
  /** Awaited first, before the action: a racer's write that lands just before this command (the bad order). */
  before?: (call: FaultCall) => Promise<void>
}

type Armed = Fault & { hits: number }

const armed: Armed[] = []
const originals = new Map<FaultCommand, (...args: unknown[]) => unknown>()

export function writeConflictError(message = 'WriteConflict error: this operation conflicted with another operation. Please retry your operation or multi-document transaction.') {
  return new MongoServerError({ code: 112, codeName: 'WriteConflict', errmsg: message, errorLabels: ['TransientTransactionError'] })
}

function transientError() {
  return new MongoServerError({ code: 251, codeName: 'NoSuchTransaction', errmsg: 'Transaction has been aborted.', errorLabels: ['TransientTransactionError'] })
}

const isDuplicateKey = (err: unknown) => (err as { code?: number } | null)?.code === 11000

/** Arms a fault; returns how often it acted so far and a way to remove it. */
export function injectFault(fault: Fault): { readonly hits: number; remove: () => void } {
  const entry: Armed = { times: 1, ...fault, hits: 0 }
  armed.push(entry)
  for (const command of [fault.command].flat()) patch(command)
  return {
    get hits() {
      return entry.hits
    },
    remove: () => {
      const at = armed.indexOf(entry)
      if (at >= 0) armed.splice(at, 1)
    },
  }
}

/**
 * Stops the first matching call before it runs until `release()`: `reached` resolves when an actor got there. With
 * it a test runs actor A up to a command, lets actor B run through, then lets A go on — the bad order, every time.
 */
export function pauseAt(fault: Omit<Fault, 'action'>): { reached: Promise<FaultCall>; release: () => void; remove: () => void } {
  let arrive!: (call: FaultCall) => void
  let release!: () => void
  const reached = new Promise<FaultCall>((resolve) => (arrive = resolve))
  const released = new Promise<void>((resolve) => (release = resolve))
  const { remove } = injectFault({
    ...fault,
    action: async (call) => {
      arrive(call)
      await released
    },
  })
  return { reached, release, remove }
}

/** Removes every fault and restores the driver's methods. */
export function clearFaults() {
  armed.length = 0
  for (const [command, original] of originals) (Collection.prototype as unknown as Record<string, unknown>)[command] = original
  originals.clear()
}

function patch(command: FaultCommand) {
  if (originals.has(command)) return
  const prototype = Collection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>
  const original = prototype[command]
  originals.set(command, original)
  prototype[command] = async function (this: Collection, ...args: unknown[]) {
    const call: FaultCall = { collection: this.collectionName, command, args }
    const fault = armed.find(
      (candidate) =>
        candidate.collection === call.collection &&
        [candidate.command].flat().includes(command) &&
        candidate.hits < (candidate.times ?? 1) &&
        (candidate.when?.(call) ?? true),
    )
    if (!fault) return original.apply(this, args)
    fault.hits++
    await fault.before?.(call)
    if (fault.action === 'writeConflict') throw writeConflictError()
    if (fault.action === 'transientTransactionError') throw transientError()
    if (fault.action === 'duplicateKeyAsWriteConflict') {
      try {
        return await original.apply(this, args)
      } catch (err) {
        if (isDuplicateKey(err)) throw writeConflictError((err as Error).message)
        throw err
      }
    }
    await fault.action(call)
    return original.apply(this, args)
  }
}
