import type { CollectionSlug, PayloadRequest } from 'payload'

import { isolateObjectProperty } from 'payload'

/**
 * Derived figures are recomputed from their source, never incremented: increments are lost under concurrent writes
 * on FerretDB v1, and a recount cannot drift. Each recompute loops until the stored figure equals a count taken
 * after the last write, so when concurrent writers interleave (one writes a count another has already outdated) the
 * last writer sees the difference and writes again; the stored figure ends equal to the source.
 *
 * The write is a `$set` of the derived paths only (payload.db.updateOne), not payload.update: a Local API update
 * rewrites the whole document from the copy it read, so a system write racing a caller's edit of, say, the episode
 * title would put the old title back. Because the derived write skips hooks, it invalidates the service cache
 * itself. Callers' writes that rewrite a whole document are repaired by the recompute their own afterChange runs.
 */

const MAX_ROUNDS = 8

/** Set in req.context to skip recomputation (bulk imports and scripts that recompute once at the end). */
export function isDerivedFiguresSkipped(req: PayloadRequest): boolean {
  return req.context?.skipDerivedFigures === true
}

/** The request without its transaction: derived figures are counted from committed data and written on their own. */
export function outsideTransaction(req: PayloadRequest): PayloadRequest {
  const isolated = isolateObjectProperty(req, 'transactionID')
  isolated.transactionID = undefined
  return isolated
}

export async function converge<F>({
  req,
  collection,
  id,
  compute,
  read,
  write,
  equal,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  id: string
  compute: () => Promise<F | undefined>
  read: () => Promise<F | undefined>
  write: (figure: F) => Promise<void>
  equal: (a: F, b: F) => boolean
}): Promise<boolean> {
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const figure = await compute()
    if (figure === undefined) return false
    const stored = await read()
    if (stored === undefined) return false // the document is gone
    if (equal(figure, stored)) return round > 0
    await write(figure)
  }
  req.payload.logger.warn({ msg: `Derived figures of ${collection} ${id} did not settle in ${MAX_ROUNDS} rounds` })
  return true
}

export const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)
