import type { Access } from 'payload'

import { isOwnRecordOnly } from './isOwnRecordOnly'
import { isAdminUser } from '../model/roles'

/**
 * Payload's per-user records (document locks, admin preferences): their own user's (isOwnRecordOnly); admins all.
 * Nobody lists which documents others are editing.
 */
export const isOwnRecord: Access = (args) => (isAdminUser(args.req.user) ? true : isOwnRecordOnly(args))
