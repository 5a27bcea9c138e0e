import { z } from 'zod'

import { ValidationError } from '../../errors'
import { MAX_LIST_LIMIT } from '../../model/apiLimits'

/** Page sizes every list honours: a default when the caller gives none, and the API-wide cap it cannot exceed. */
export const PAGE_SIZE = { default: 20, max: MAX_LIST_LIMIT } as const
export const MAX_PAGE = 10_000

/** A document id as the database stores it (MongoDB ObjectId, 24 hex characters). */
export const idSchema = z.string().regex(/^[0-9a-fA-F]{24}$/, 'must be a 24-character hexadecimal id')

/** Pagination for query strings (numbers arrive as text). */
export const paginationSchema = z.object({
  page: z.coerce.number().int().min(1).max(MAX_PAGE).default(1),
  limit: pageSizeSchema(z.coerce.number(), PAGE_SIZE.default),
})

/**
 * The one page-size rule (src/hooks/capListLimit.ts for Payload's REST and GraphQL lists): a page holds at most
 * PAGE_SIZE.max rows; a larger limit, or 0 ("all"), answers one page of PAGE_SIZE.max, and the answer's `limit`
 * says so; a negative or fractional limit is a 400 on `limit`. `number` is z.number() for JSON bodies,
 * z.coerce.number() for query strings.
 */
export function pageSizeSchema(number: z.ZodNumber | z.ZodCoercedNumber, defaultLimit: number) {
  return number
    .int()
    .min(0)
    .default(defaultLimit)
    .transform((limit) => (limit === 0 || limit > PAGE_SIZE.max ? PAGE_SIZE.max : limit))
    .describe(`Page size, default ${defaultLimit}; above ${PAGE_SIZE.max} (or 0) one page of ${PAGE_SIZE.max} is returned`)
}

/** `cursor=`: the nextCursor of the previous page of a keyset list (src/services/keyset.ts). */
export const cursorSchema = z
  .string()
  .max(2000)
  .optional()
  .describe('The nextCursor of the previous page: the rows after it (keyset paging; page then counts from the cursor)')

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
