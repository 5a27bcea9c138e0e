import type { FieldAccess } from 'payload'

import { isAdminUser } from '../model/roles'

/** Field-level: admins only. Used for the fields a person must not set on themselves (role, subscription). */
export const isAdminField: FieldAccess = ({ req: { user } }) => isAdminUser(user)
