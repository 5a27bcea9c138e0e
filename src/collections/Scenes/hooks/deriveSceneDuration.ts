import type { CollectionBeforeChangeHook } from 'payload'

import { durationFromDialogue } from '../../../domain/scriptMetrics'
import type { Scene } from '../../../payload-types'

/**
 * `script.duration` is the caller's when given; otherwise the sum of the dialogue timings, kept up to date as the
 * dialogue changes (`script.durationSource` remembers which). On update Payload has already merged the stored
 * values into `data`, so a duration counts as given when it differs from the stored one, or when the stored one
 * was given and is kept; null hands it back to the dialogue.
 */
export const deriveSceneDuration: CollectionBeforeChangeHook<Scene> = ({ data, originalDoc, operation }) => {
  const script = { ...(data.script ?? {}) } as NonNullable<Scene['script']>
  const incoming = script.duration
  const stored = operation === 'update' ? originalDoc?.script : undefined
  const isGiven =
    typeof incoming === 'number' &&
    (!stored || incoming !== stored.duration || stored.durationSource === 'given')
  if (isGiven) {
    script.durationSource = 'given'
  } else {
    const derived = durationFromDialogue(script.dialogue)
    script.duration = derived ?? null
    script.durationSource = derived === undefined ? null : 'dialogue'
  }
  data.script = script
  return data
}
