import type { BaseDatabaseAdapter, PayloadRequest, SanitizedCollectionConfig } from 'payload'

import { isFieldValidationError } from '../errors'

import { runAfterCommit } from './afterCommit'
import { claimGlobalUniques } from './globalUniques'
import { expectedIndexes, keyId } from './indexes'

/**
 * A compound unique index guards its last field; the fields before it are its scope. Scenes' unique
 * (project, episode, sceneNumber) refuses a taken scene number, so the error belongs on `sceneNumber`. Payload's
 * mongoose adapter names the first key of the violated index instead (`project`), and nothing at all on FerretDB,
 * whose insert error carries neither the key nor the index name. This maps the reported path to the guarded field
 * when exactly one unique index of the collection can be meant: the one starting with the reported field, or, when
 * none was reported, the collection's only unique index besides _id.
 */
export function guardedField(collection: SanitizedCollectionConfig, reportedPath: string): string {
  const candidates = expectedIndexes([collection])
    .filter((index) => index.unique && keyId(index.key) !== '_id:1')
    .map((index) => Object.keys(index.key))
    .filter((fields) => reportedPath === '' || (fields.length > 1 && fields[0] === reportedPath))
  return candidates.length === 1 ? candidates[0].at(-1)! : reportedPath
}

/**
 * Wraps an adapter's writes: the values of `globallyUnique` are claimed before a create or update stores them (and
 * the claims undone when the write fails), and a unique violation of a compound index names the guarded field (see
 * guardedField).
 */
export function withUniqueGuards<T extends BaseDatabaseAdapter>(adapter: T): T {
  for (const method of ['create', 'updateOne', 'updateMany', 'upsert'] as const) {
    type Args = { collection?: string; data?: Record<string, unknown>; id?: number | string; req?: Partial<PayloadRequest> }
    const original = adapter[method] as (this: T, args: Args) => Promise<unknown>
    ;(adapter as Record<string, unknown>)[method] = async function (this: T, args: Args) {
      const deferred = await runBeforeWrite(args)
      const claims =
        // An update by where (no id) is not a path media filenames take; Payload updates documents by id.
        (method === 'create' || (method === 'updateOne' && args.id !== undefined)) && args.collection && args.data
          ? await claimGlobalUniques(this as never, args.collection, args.data, args.id === undefined ? undefined : String(args.id))
          : undefined
      try {
        const written = await original.call(this, args)
        const id = (written as { id?: unknown } | null)?.id ?? args.id
        // The holder is recorded once the write's transaction has committed: a rolled-back write leaves its claim
        // without holder, and such a claim expires (claimGlobalUniques). Recorded inside the transaction, the claim
        // would name a document that never existed and refuse the name for ever.
        if (claims && id !== undefined) await settleAfterCommit(args.req, `unique-claims:${String(id)}`, () => claims.settle(String(id)))
        return written
      } catch (err) {
        await claims?.undo()
        for (const undo of deferred) await undo()
        const collection = args.collection ? (this.payload.collections as Record<string, { config: SanitizedCollectionConfig } | undefined>)[args.collection]?.config : undefined
        if (!(isFieldValidationError(err)) || !collection) throw err
        for (const error of err.data.errors) {
          error.path = guardedField(collection, error.path ?? '')
        }
        throw err
      }
    }
  }
  return adapter
}

/** Runs the step a hook deferred to this collection's write (req.context.beforeWrite); returns its undo. */
async function runBeforeWrite({ collection, req }: { collection?: string; req?: Partial<PayloadRequest> }) {
  const step = collection ? req?.context?.beforeWrite?.[collection] : undefined
  if (!step) return []
  delete req!.context!.beforeWrite![collection!]
  const undo = await step()
  return undo ? [undo] : []
}

/** Runs `task` after the request's transaction commits; at once for a write made without a request. */
async function settleAfterCommit(req: Partial<PayloadRequest> | undefined, key: string, task: () => Promise<void>) {
  if (req?.payload) await runAfterCommit({ req: req as PayloadRequest, key, task })
  else await task()
}
