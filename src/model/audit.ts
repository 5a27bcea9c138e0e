/** The values of an audit entry's `operation` and `authMethod`: the audit hooks write them, the API documents them. */
/** The task engine's transitions (src/queue/auditTransition.ts): one entry per claim and per ending of an attempt. */
export const taskAuditOperations = ['task-claim', 'task-complete', 'task-fail', 'task-expire', 'task-cancel'] as const
export type TaskAuditOperation = (typeof taskAuditOperations)[number]
export const auditOperations = [
  'create',
  'update',
  'delete',
  'login',
  'login-failed',
  ...taskAuditOperations,
  // System runs (src/ops): a data migration applied or reversed, and the scheduled maintenance's archive, prune and
  // backup runs; their documentId names the migration or the maintenance run (maintenance_runs) with the details.
  'migrate',
  'archive',
  'prune',
  'backup',
] as const
export type AuditOperation = (typeof auditOperations)[number]
export const auditAuthMethods = ['session', 'api-key', 'anonymous', 'system'] as const
