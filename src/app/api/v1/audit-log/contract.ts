import { auditEntrySchema, keysetPageOf } from '@/http/openapi/responseSchemas'
import { defineRouteContract } from '@/http/openapi/routeContract'
import { findAuditEntriesSchema } from '@/services/schemas/auditLogSchemas'

/** The contract of /api/v1/audit-log (docs/API.md, "Route contracts"). */
export const contract = defineRouteContract('/api/v1/audit-log', {
  get: {
    operationId: 'listAuditEntries',
    summary: 'The audit log, newest first, optionally of one document or operation (admins only)',
    query: findAuditEntriesSchema,
    response: { status: 200, schema: keysetPageOf(auditEntrySchema, 'AuditEntry'), description: 'One page of audit entries' },
    errors: [400, 401, 403],
  },
})
