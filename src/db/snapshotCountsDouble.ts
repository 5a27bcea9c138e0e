import { AsyncLocalStorage } from 'node:async_hooks'

import type { Payload, Where } from 'payload'

/**
 * TEST DOUBLE, for tests only — MongoDB's transaction isolation for counts, on FerretDB (which has no transactions).
 *
 * On MongoDB each Local API create runs in a transaction: the documents it inserts are invisible to every other
 * operation until it commits, and its own reads see them. This double gives one collection's counts that semantics:
 * a document inserted by a create stays hidden from other operations' counts until that create returns (its commit
 * point), and `holdCommit` stops a create right before its commit, so that a test can run a second create while the
 * first one's insert is still uncommitted — the interleaving in which count-based checks pass twice.
 *
 * It changes nothing but counts of the named collection, only while installed (`remove` undoes it); it stands next
 * to the fault-injection seam (faultInjection.ts) and never replaces the real engine for anything else.
 */
export function snapshotCountsDouble(payload: Payload, collection: string) {
  type Operation = { open: boolean; inserted: string[] }
  const operations = new AsyncLocalStorage<Operation>()
  const uncommitted = new Map<string, Operation>()
  let gate: { reached: () => void; released: Promise<void> } | undefined

  const api = payload as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>
  const db = payload.db as unknown as Record<string, (args: Record<string, unknown>) => Promise<unknown>>
  const [create, dbCreate, dbCount] = [api.create, db.create, db.count]

  api.create = async function (this: Payload, ...args: unknown[]) {
    const operation: Operation = { open: true, inserted: [] }
    try {
      const result = await operations.run(operation, () => create.apply(this, args))
      if ((args[0] as { collection?: string }).collection === collection && gate) {
        const held = gate
        gate = undefined
        held.reached()
        await held.released
      }
      return result
    } finally {
      operation.open = false
      for (const id of operation.inserted) uncommitted.delete(id)
    }
  }
  db.create = async function (this: unknown, args) {
    const created = (await dbCreate.call(this, args)) as { id?: unknown }
    const operation = operations.getStore()
    if (args.collection === collection && operation?.open && created?.id !== undefined) {
      operation.inserted.push(String(created.id))
      uncommitted.set(String(created.id), operation)
    }
    return created
  }
  db.count = async function (this: unknown, args) {
    const mine = operations.getStore()
    const hidden = [...uncommitted].filter(([, operation]) => operation !== mine).map(([id]) => id)
    if (args.collection !== collection || hidden.length === 0) return dbCount.call(this, args)
    const where: Where = args.where ? { and: [args.where as Where, { id: { not_in: hidden } }] } : { id: { not_in: hidden } }
    return dbCount.call(this, { ...args, where })
  }

  return {
    /** Stops the next create of the collection after its writes, before its commit; `release` lets it commit. */
    holdCommit() {
      let reached!: () => void
      let release!: () => void
      const arrived = new Promise<void>((resolve) => (reached = resolve))
      gate = { reached, released: new Promise<void>((resolve) => (release = resolve)) }
      return { reached: arrived, release }
    },
    remove() {
      api.create = create
      db.create = dbCreate
      db.count = dbCount
    },
  }
}
