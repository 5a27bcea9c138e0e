import { z } from 'zod'

import { ValidationError } from '../../errors'
import { MAX_LIST_LIMIT } from '../../lib/apiLimits'

/** Page sizes every list honours: a default when the caller gives none, and the API-wide cap it cannot exceed. */
export const PAGE_SIZE = { default: 20, max: MAX_LIST_LIMIT } as const
export const MAX_PAGE = 10_000

/** A document id as the database stores it (MongoDB ObjectId, 24 hex characters). */
export const idSchema = z.string().regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hexadecimal id')

/** Pagination for query strings (numbers arrive as text). */
export const paginationSchema = z.object({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  limit: z.coerce.number().int().min(1).max(PAGE_SIZE.max).default(PAGE_SIZE.default),
})

export const text = (max = 10_000) => z.string().max(max)
export const shortText = () => z.string().max(500)
export const nonNegative = () => z.number().finite().min(0)
export const isoDate = () => z.iso.datetime({ offset: true })

/** One page of a list, the same shape for every list the API returns. */
export type Page<T> = {
  docs: T[]
  page: number
  limit: number
  totalDocs: number
  totalPages: number
  hasNextPage: boolean
  hasPrevPage: boolean
}

export function toPage<T>(result: {
  docs: T[]
  page?: number
  limit: number
  totalDocs: number
  totalPages: number
  hasNextPage: boolean
  hasPrevPage: boolean
}): Page<T> {
  return {
    docs: result.docs,
    page: result.page ?? 1,
    limit: result.limit,
    totalDocs: result.totalDocs,
    totalPages: result.totalPages,
    hasNextPage: result.hasNextPage,
    hasPrevPage: result.hasPrevPage,
  }
}

/** Parses a DTO or throws a ValidationError naming every offending field by its dotted path. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  throw new ValidationError({
    issues: result.error.issues.flatMap((issue) => {
      const path = issue.path.map(String)
      // An unknown key is reported at its own path, one issue per key.
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => ({ path: [...path, key].join('.'), message: 'Unrecognized key' }))
      }
      return [{ path: path.join('.'), message: issue.message }]
    }),
  })
}
