import type { Access } from 'payload'

import { isProducerOrAdminUser } from '../model/roles'

/** Producers and admins (people, not API keys). */
export const isProducerOrAdmin: Access = ({ req: { user } }) => isProducerOrAdminUser(user)
