import type { ClientUser } from 'payload'

import { isAdminUser } from '../model/roles'

/**
 * Admin navigation: system collections (accounts, the audit log, prompt executions) are listed for admins only;
 * producers see the production and what they use. Hiding is for the navigation only, access rules still decide.
 */
export const isHiddenFromNonAdmins = ({ user }: { user: ClientUser }): boolean =>
  !isAdminUser(user as Parameters<typeof isAdminUser>[0])
