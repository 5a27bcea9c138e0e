import type { CollectionBeforeChangeHook } from 'payload'

import { getIn, setIn } from '../model/references'

/**
 * A beforeChange hook that makes fields read-only for every caller (admin, REST, GraphQL, Local API): a create
 * stores their initial value and an update keeps the stored one, whatever the write says. The system writes them
 * with a partial `$set` from src/records/derivedFigures/index.ts, which does not pass through this hook.
 */
export function keepDerivedFields({
  fields,
}: {
  fields: { path: readonly string[]; initial: () => unknown }[]
}): CollectionBeforeChangeHook {
  return ({ data, originalDoc, operation }) => {
    for (const { path, initial } of fields) {
      const value = operation === 'update' ? getIn(originalDoc, path) : undefined
      setIn(data, path, value === undefined ? initial() : value)
    }
    return data
  }
}
