/** The values of an audit entry's `operation` and `authMethod`: the audit hooks write them, the API documents them. */
export const auditOperations = ['create', 'update', 'delete', 'login', 'login-failed'] as const
export const auditAuthMethods = ['session', 'api-key', 'anonymous', 'system'] as const
