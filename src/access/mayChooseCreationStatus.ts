import type { PayloadRequest, RequestContext } from 'payload'

import { isAdminUser } from '../model/roles'

/**
 * The `req.context` flag with which server code (imports, migrations, restores, seeds) asks to create documents in
 * the status it brings along. A client cannot set `req.context` (REST, GraphQL and /api/v1 never copy request data
 * into it), and `overrideAccess` alone is not enough: every Local API call without `user` overrides access, so a
 * system path that keeps a status says so explicitly.
 */
export const IMPORT_STATUS_CONTEXT = 'importWithStatus' satisfies keyof RequestContext

/** Who may create a document in another status than its machine's initial one: admins and flagged server code. */
export function mayChooseCreationStatus(req: PayloadRequest): boolean {
  return isAdminUser(req.user) || req.context?.[IMPORT_STATUS_CONTEXT] === true
}
