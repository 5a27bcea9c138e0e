import type { Access } from 'payload'

import { isApiKeyUser } from '../model/roles'

/**
 * Registration is public (anonymous callers and signed-in people). Role and subscription are admin-only fields, so
 * a registration always yields role `user`, tier `free`. An API key cannot create accounts.
 */
export const canRegister: Access = ({ req: { user } }) => !isApiKeyUser(user)
