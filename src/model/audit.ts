/** The values of an audit entry's `operation` and `authMethod`: the audit hooks write them, the API documents them. */
export const auditOperations = [
  'create',
  'update',
  'delete',
  'login',
  'login-failed',
  // System runs (src/ops): a data migration applied or reversed, and the scheduled maintenance's archive, prune and
  // backup runs; their documentId names the migration or the maintenance run (maintenance_runs) with the details.
  'migrate',
  'archive',
  'prune',
  'backup',
] as const
export const auditAuthMethods = ['session', 'api-key', 'anonymous', 'system'] as const
