import type { DatabaseAdapter, PayloadRequest } from 'payload'

type Task = () => Promise<void>

const pendingByTransaction = new Map<string | number, Map<string, Task>>()
const installed = new WeakSet<object>()

/**
 * Runs `task` once the request's transaction has committed, or at once when the request has none (FerretDB, a
 * MongoDB without a replica set, a Local API call made outside a request).
 *
 * Why: derived figures (episode production, project progress, character appearances) are written to a parent that
 * many concurrent writes touch. Inside their transactions on MongoDB those parent writes would conflict (a
 * WriteConflict aborts all but one), and a count taken inside a transaction cannot see the other transactions'
 * scenes. After the commit the count sees committed data and the parent write is a single-document update.
 * Tasks with the same key in one transaction run once (a bulk update of 20 scenes recomputes their episode once).
 * A rolled-back transaction drops its tasks.
 */
export async function runAfterCommit({ req, key, task }: { req: PayloadRequest; key: string; task: Task }) {
  const transactionID = await activeTransactionID(req)
  if (transactionID === undefined) {
    await task()
    return
  }
  installCommitListener(req.payload.db)
  let tasks = pendingByTransaction.get(transactionID)
  if (!tasks) pendingByTransaction.set(transactionID, (tasks = new Map()))
  tasks.set(key, task)
}

/**
 * The id of the request's open transaction, if any. Without transactions Payload leaves a Promise of null there,
 * and its relationship dataloader copies it through JSON, leaving `{}`: only a string or number id is a transaction.
 */
export async function activeTransactionID(req: PayloadRequest): Promise<string | number | undefined> {
  let id: unknown = req.transactionID
  if (id && typeof (id as PromiseLike<unknown>).then === 'function') id = await id
  return typeof id === 'string' || typeof id === 'number' ? id : undefined
}

/** Wraps the adapter's commit and rollback once, so that queued tasks run after a commit and vanish on a rollback. */
function installCommitListener(db: DatabaseAdapter) {
  if (installed.has(db)) return
  installed.add(db)
  const commit = db.commitTransaction.bind(db)
  const rollback = db.rollbackTransaction.bind(db)
  db.commitTransaction = async (id) => {
    await commit(id)
    const resolved = id instanceof Promise ? await id : id
    const tasks = pendingByTransaction.get(resolved)
    pendingByTransaction.delete(resolved)
    for (const task of tasks?.values() ?? []) {
      try {
        await task()
      } catch (err) {
        // The transaction is committed; the figure is repaired by the next write that touches it (or a recompute).
        db.payload.logger.error({ msg: 'Recomputing a derived figure after commit failed', err })
      }
    }
  }
  db.rollbackTransaction = async (id) => {
    pendingByTransaction.delete(id instanceof Promise ? await id : id)
    await rollback(id)
  }
}
