/**
 * Whether a write lost to a unique index: MongoDB and FerretDB both answer E11000. A unique-index insert is the one
 * write that is atomic on both engines, so this is how every reservation, lease and turn learns it lost.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  return (err as { code?: number } | null)?.code === 11000
}
