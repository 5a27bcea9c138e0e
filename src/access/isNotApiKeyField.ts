import type { FieldAccess } from 'payload'

import { isApiKeyUser } from '../model/roles'

/** Field-level: anyone the collection rule lets in, except an API key (workers may not rewrite a task's definition). */
export const isNotApiKeyField: FieldAccess = ({ req: { user } }) => !isApiKeyUser(user)
