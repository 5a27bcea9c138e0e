import { compatibilityOptions, mongooseAdapter } from '@payloadcms/db-mongodb'

import type { DatabaseEngine } from './engine'

/**
 * Adapter and auth settings for the detected engine. MongoDB keeps Payload's full behaviour; every FerretDB
 * setting below is a workaround proven by tests/int/db/ferretdbWorkarounds.int.spec.ts.
 */
export function engineSettings(engine: DatabaseEngine | undefined) {
  if (engine?.kind !== 'ferretdb') {
    return { adapter: {}, maxLoginAttempts: 5 }
  }
  return {
    adapter: {
      // documentdb preset: useJoinAggregations false (FerretDB v1 has no $lookup, which join fields and
      // relationship-filtered lists use), disableIndexHints (it ignores/rejects `hint`),
      // bulkOperationsSingleTransaction (no multi-document transactions).
      ...compatibilityOptions.documentdb,
      // No transactions in FerretDB v1; Payload would otherwise try to start sessions on a replica set.
      transactionOptions: false as const,
      // Payload's explicit ensureIndexes pass is off; mongoose autoIndex still builds the declared indexes.
      ensureIndexes: false,
    },
    // Payload's failed-login counter uses findAndModify with `fields`, which FerretDB v1 does not implement:
    // every wrong password would answer 500. Lockout on this engine comes from the login rate limiter instead.
    maxLoginAttempts: 0,
  }
}

export function databaseAdapter(url: string | undefined, engine: DatabaseEngine | undefined) {
  return mongooseAdapter({
    // No URL at build time (`next build`, `payload generate:types`): Payload never connects then.
    url: url ?? false,
    ...engineSettings(engine).adapter,
  })
}
