import type { CollectionBeforeChangeHook } from 'payload'

import { effectiveValue } from '../../../model/references'
import { countWords, estimateDurationSeconds } from '../../../domain/scriptMetrics'
import type { Episode } from '../../../payload-types'

/** `script.wordCount` and `script.estimatedDuration` always follow `script.content`; values sent for them are ignored. */
export const deriveScriptMetrics: CollectionBeforeChangeHook<Episode> = ({ data, originalDoc }) => {
  const content = effectiveValue({ data, originalDoc, path: ['script', 'content'] }) as string | null | undefined
  const wordCount = countWords(content)
  data.script = { ...(data.script ?? {}), wordCount, estimatedDuration: estimateDurationSeconds(wordCount) }
  return data
}
