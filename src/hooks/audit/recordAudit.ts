import type { PayloadRequest } from 'payload'

import type { auditOperations } from '../../model/audit'
import { slugs } from '../../model/slugs'
import { isApiKeyUser } from '../../access/roles'
import { relationId } from '../../domain/references'
import { clientIp } from '../../lib/rateLimit/clientIp'

export type AuditEntry = {
  operation: (typeof auditOperations)[number]
  collection: string
  documentId?: string
  changedFields?: string[]
  /** For failed logins: the email that was tried. */
  email?: string
}

/**
 * Writes one audit entry. `withRequest` keeps the entry in the caller's transaction (a change and its entry are
 * stored together or not at all); failed logins are written outside it, since the operation is rolled back.
 */
export async function recordAudit({ req, entry, withRequest = true }: { req: PayloadRequest; entry: AuditEntry; withRequest?: boolean }) {
  const user = req.user as ({ id: string | number; email?: string; _strategy?: string } & Record<string, unknown>) | null
  const authMethod = user ? (isApiKeyUser(user as never) ? 'api-key' : 'session') : req.payloadAPI === 'local' ? 'system' : 'anonymous'
  // overrideAccess: the audit log is written by system code only; its collection refuses every API write.
  await req.payload.create({
    collection: slugs.auditLog,
    data: {
      operation: entry.operation,
      collectionSlug: entry.collection,
      documentId: entry.documentId,
      changedFields: entry.changedFields ?? [],
      user: user ? relationId(user.id) : undefined,
      userEmail: entry.email ?? (typeof user?.email === 'string' ? user.email : undefined),
      authMethod,
      ip: req.headers ? clientIp(req.headers) : undefined,
    },
    overrideAccess: true,
    depth: 0,
    ...(withRequest ? { req } : {}),
  })
}
