import type { Access } from 'payload'

import { isAdminUser } from '../model/roles'

/** Admins only (a request made with an admin's API key is not an admin request). */
export const isAdmin: Access = ({ req: { user } }) => isAdminUser(user)
