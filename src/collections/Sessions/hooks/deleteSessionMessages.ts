import type { CollectionAfterDeleteHook } from 'payload'

import { deleteMessages } from '../../../records/sessionMessages'

/** A deleted session takes its messages with it. */
export const deleteSessionMessages: CollectionAfterDeleteHook = async ({ id, req }) => {
  await deleteMessages({ req, session: String(id) })
}
