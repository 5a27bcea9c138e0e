import { mongooseAdapter } from '@payloadcms/db-mongodb'

import type { DatabaseEngine } from './engine'

import { withTransientMarks } from './transientRetry'
import { withUniqueGuards } from './uniqueViolations'

/**
 * Adapter and auth settings for the detected engine. MongoDB keeps Payload's full behaviour. Each FerretDB setting
 * is a workaround proven on FerretDB by tests/int/db/ferretdbWorkarounds.int.spec.ts; the options of Payload's
 * documentdb preset that FerretDB does not need (index hints work there) are left at their defaults.
 */
export function engineSettings(engine: DatabaseEngine | undefined) {
  if (engine?.kind !== 'ferretdb') {
    return { adapter: {}, maxLoginAttempts: 5 }
  }
  return {
    adapter: {
      // FerretDB v1 has no $lookup, which Payload's join aggregations (join fields, relationship sorts) use.
      useJoinAggregations: false,
      // FerretDB v1 has no transactions (the driver's transaction fields are rejected). Payload already skips them
      // without a replica set; this keeps them off even if the URL names one.
      transactionOptions: false as const,
    },
    // Payload's failed-login counter uses findAndModify with `fields`, which FerretDB v1 does not implement:
    // every wrong password would answer 500. Lockout on this engine comes from the login rate limiter instead.
    maxLoginAttempts: 0,
  }
}

export function databaseAdapter(url: string | undefined, engine: DatabaseEngine | undefined, migrationDir: string) {
  const adapter = mongooseAdapter({
    // No URL at build time (`next build`, `payload generate:types`): Payload never connects then.
    url: url ?? false,
    migrationDir,
    // Command monitoring feeds the latency metrics and the slow-command log (src/db/commandMetrics.ts).
    connectOptions: { monitorCommands: true },
    ...engineSettings(engine).adapter,
  })
  // withTransientMarks: each operation attempt learns of a transient transaction error or a commit, so that it can be
  // retried whole (src/db/transientRetry.ts).
  return { ...adapter, init: (args: Parameters<typeof adapter.init>[0]) => withTransientMarks(withUniqueGuards(adapter.init(args))) }
}
