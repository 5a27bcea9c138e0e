/**
 * Whether a write lost to a unique index: MongoDB and FerretDB both answer E11000. A unique-index insert is the one
 * write that is atomic on both engines, so this is how every reservation, lease and turn learns it lost.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000
}

/**
 * Whether a write lost a race to a concurrent one: a duplicate key (11000) outside a transaction, or MongoDB's
 * WriteConflict (112), which is what a duplicate key met inside a transaction is reported as. Code that arbitrates
 * with a unique index and may run inside a transaction treats both as "taken". (Payload's own writes inside a
 * transaction are retried whole instead, src/db/transientRetry.ts: the retry then meets the plain 11000.)
 */
export function isLostRace(err: unknown): boolean {
  return isDuplicateKeyError(err) || (err as { code?: number } | null)?.code === 112
}
