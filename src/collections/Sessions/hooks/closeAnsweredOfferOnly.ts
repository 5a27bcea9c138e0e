import type { CollectionBeforeChangeHook } from 'payload'

import { ConflictError } from '../../../errors'

/** Context key of a pick's write: the row id of the first choice of the offer it answers. */
export const ANSWERS_OFFER = 'answersOffer'
export const OFFER_REPLACED = 'offer-replaced'

/**
 * A pick's write closes the offer it answers, not one made after the pick read the session (it would be lost). The
 * check reads `originalDoc`, which the update reads in its own transaction (MongoDB: a concurrent offer makes the
 * write conflict and the retry reads it again) or inside the session's write turn (FerretDB).
 */
export const closeAnsweredOfferOnly: CollectionBeforeChangeHook = ({ context, data, operation, originalDoc }) => {
  const offer = context[ANSWERS_OFFER]
  if (operation !== 'update' || typeof offer !== 'string') return data
  const current = (originalDoc?.lastChoices as { id?: string | null }[] | undefined)?.[0]?.id
  if (current !== offer) {
    throw new ConflictError({ message: 'A new offer replaced the one answered', details: { reason: OFFER_REPLACED } })
  }
  return data
}
