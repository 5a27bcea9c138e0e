import type { Access } from 'payload'

import { isPerson } from '../model/roles'

/** A signed-in person (JWT/cookie), not an API key. Quotas still apply in the collection's hooks. */
export const isSignedInPerson: Access = ({ req: { user } }) => isPerson(user)
