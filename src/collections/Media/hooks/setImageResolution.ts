import type { CollectionBeforeChangeHook } from 'payload'

import { effectiveValue } from '../../../model/references'
import type { Media } from '../../../payload-types'

/** Images get `technicalData.resolution` ("1920x1080") from the dimensions sharp measured. */
export const setImageResolution: CollectionBeforeChangeHook<Media> = ({ data, originalDoc }) => {
  const mimeType = effectiveValue({ data, originalDoc, path: ['mimeType'] }) as string | undefined
  const width = effectiveValue({ data, originalDoc, path: ['width'] })
  const height = effectiveValue({ data, originalDoc, path: ['height'] })
  if (mimeType?.startsWith('image/') && typeof width === 'number' && typeof height === 'number') {
    data.technicalData = { ...(data.technicalData ?? {}), resolution: `${width}x${height}` }
  }
  return data
}
