import type { CollectionBeforeChangeHook } from 'payload'

import { effectiveValue } from '../../../model/references'
import type { Scene } from '../../../payload-types'

/**
 * Entering `generating` is a production attempt: `attempts` counts them and `lastAttempt` dates the latest. Both
 * are the system's: values a caller sends are ignored.
 */
export const trackProductionAttempts: CollectionBeforeChangeHook<Scene> = ({ data, originalDoc, operation }) => {
  const to = effectiveValue({ data, originalDoc, path: ['production', 'status'] })
  const from = operation === 'update' ? originalDoc?.production?.status : undefined
  const stored = operation === 'update' ? originalDoc?.production : undefined
  const isNewAttempt = to === 'generating' && from !== 'generating'
  data.production = {
    ...data.production,
    attempts: (stored?.attempts ?? 0) + (isNewAttempt ? 1 : 0),
    lastAttempt: isNewAttempt ? new Date().toISOString() : (stored?.lastAttempt ?? null),
  } as NonNullable<Scene['production']>
  return data
}
