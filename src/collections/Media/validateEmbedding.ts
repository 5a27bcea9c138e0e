import type { NumberFieldManyValidation } from 'payload'

/** The embedding dimensions the spec allows (Jina v4 at 512 or 1024). */
export const embeddingDimensions = [512, 1024] as const

export const validateEmbedding: NumberFieldManyValidation = (value) => {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return true
  if (!Array.isArray(value)) return 'The embedding must be an array of numbers.'
  if (!(embeddingDimensions as readonly number[]).includes(value.length)) {
    return `The embedding must have 512 or 1024 numbers, not ${value.length}.`
  }
  if (value.some((n) => typeof n !== 'number' || !Number.isFinite(n))) return 'The embedding must contain only finite numbers.'
  return true
}
