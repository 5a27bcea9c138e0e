import type { CollectionAfterChangeHook } from 'payload'

import { requestEmailChange } from '../../../records/emailChange'

/**
 * After an update that asked for a new address (requireCurrentPassword noted it): record it as pending and mail the
 * confirmation token to it and a notice to the old one. The answer shows `pendingEmail`, the same for a free or a
 * taken address; `email` is unchanged until the token comes back.
 */
export const startEmailChange: CollectionAfterChangeHook = async ({ doc, operation, req }) => {
  const request = req.context.emailChangeRequest
  if (operation !== 'update' || !request || request.userId !== String(doc.id)) return doc
  delete req.context.emailChangeRequest
  await requestEmailChange({ req, userId: request.userId, email: request.email })
  return { ...doc, pendingEmail: request.email }
}
