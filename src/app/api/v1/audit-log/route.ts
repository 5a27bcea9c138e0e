import type { FindAuditEntriesDTO } from '@/services/schemas/auditLogSchemas'

import { apiRoute, otherMethods, serviceArgs } from '@/http/apiRoute'
import { auditLogService } from '@/services/auditLogService'

import { contract } from './contract'

/** GET /api/v1/audit-log?collectionSlug=&documentId=&operation=&page=&limit=&cursor= — newest first, admins only. */
export const GET = apiRoute(({ actor, query }) => auditLogService.list(serviceArgs<FindAuditEntriesDTO>(query, { actor })), { contract: contract.operations.get })

export const { POST, PUT, PATCH, DELETE } = otherMethods({ GET })
