import type { NumberFieldManyValidation } from 'payload'

import { env } from '../../lib/env'

/** The embedding dimensions the spec allows (Jina v4 at 512 or 1024); a deployment uses one (EMBEDDING_DIMENSIONS). */
export const embeddingDimensions = [512, 1024] as const

/**
 * Every stored embedding has the deployment's dimension, so similarity search compares like with like and the
 * vector index (numDimensions) accepts it.
 */
export const validateEmbedding: NumberFieldManyValidation = (value) => {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return true
  if (!Array.isArray(value)) return 'The embedding must be an array of numbers.'
  const expected = env.embeddingDimensions
  if (value.length !== expected) {
    return `The embedding must have ${expected} numbers (EMBEDDING_DIMENSIONS), not ${value.length}.`
  }
  if (value.some((n) => typeof n !== 'number' || !Number.isFinite(n))) return 'The embedding must contain only finite numbers.'
  return true
}
