import type { CollectionAfterLogoutHook, CollectionBeforeOperationHook, PayloadRequest } from 'payload'

import { isApiKeyUser } from '../../../model/roles'
import { ForbiddenError } from '../../../errors'

/** The one answer an API key gets on an account endpoint. */
export function refuseApiKeyOnAccount(req: PayloadRequest): void {
  if (isApiKeyUser(req.user)) {
    throw new ForbiddenError({ message: 'API keys act as workers, never on the account: sign in as the person to manage the account' })
  }
}

const accountOperations = new Set(['create', 'update', 'updateByID', 'delete', 'deleteByID', 'refresh', 'forgotPassword', 'resetPassword', 'unlock'])

/**
 * Keys act as workers, never on the account (docs/ACCESS.md, "API keys"): every write of Users (registration,
 * profile, password, email), token refresh, password reset and unlock made with an API key answers 403 — over
 * REST, GraphQL and the Local API alike — before access rules or anything else runs. Logout is refused in
 * refuseApiKeyLogout; the `sessions` field is never read by a key (Users config).
 */
export const refuseApiKeys: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (accountOperations.has(operation)) refuseApiKeyOnAccount(req)
  return args
}

/** Logout (one session or all of them) runs this before any session is removed: a key cannot sign its owner out. */
export const refuseApiKeyLogout: CollectionAfterLogoutHook = ({ req }) => {
  refuseApiKeyOnAccount(req)
}
