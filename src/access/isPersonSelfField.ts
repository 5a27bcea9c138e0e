import type { FieldAccess } from 'payload'

import { isPerson } from '../model/roles'
import { relationId } from '../model/references'

/** Field-level read of a user document's own secrets (session ids): its own person only — not an API key, not an admin. */
export const isPersonSelfField: FieldAccess = ({ req: { user }, doc }) =>
  isPerson(user) && Boolean(doc && relationId(doc.id) === relationId(user!.id))
