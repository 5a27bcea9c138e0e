import { AppError } from './AppError'

/**
 * A query asks for more work than one request may: a GraphQL document over its cost, depth, alias or size bound,
 * a `where` filter with too many branches or relationship paths. `limit` names the bound (src/model/apiLimits.ts),
 * `max` is its value, `value` what the query asked for. Always a 400, answered before any database work.
 */
export class QueryLimitError extends AppError<{ limit: string; max: number; value: number }> {
  constructor({ limit, max, value, message }: { limit: string; max: number; value: number; message: string }) {
    super({ message, status: 400, code: 'QUERY_LIMIT_EXCEEDED', details: { limit, max, value } })
  }
}
