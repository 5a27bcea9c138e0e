import type { Access } from 'payload'

import { isProducerOrAdminUser } from './roles'

/** Producers and admins (people, not API keys). */
export const isProducerOrAdmin: Access = ({ req: { user } }) => isProducerOrAdminUser(user)
