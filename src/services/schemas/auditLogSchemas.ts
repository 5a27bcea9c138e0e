import { z } from 'zod'

import { auditOperations } from '../../model/audit'
import { cursorSchema, paginationSchema } from './common'

/** GET /api/v1/audit-log: newest first, optionally of one document or operation. */
export const findAuditEntriesSchema = paginationSchema
  .extend({
    collectionSlug: z.string().max(100).optional(),
    documentId: z.string().max(100).optional(),
    operation: z.enum(auditOperations).optional(),
    cursor: cursorSchema,
  })
  .strict()

export type FindAuditEntriesDTO = z.input<typeof findAuditEntriesSchema>
