import type { Media } from '../../payload-types'

import { labelFor } from '../../model/options'

type Thumb = Pick<Media, 'id' | 'filename' | 'mediaType' | 'mimeType' | 'url' | 'sizes' | 'alt' | 'agentGenerated'>

/** One media file as a linked thumbnail (images) or its file name, with its type underneath. */
export function MediaThumbnail({ item, adminRoute }: { item: Partial<Thumb> & { id: string }; adminRoute: string }) {
  const src = item.sizes?.thumbnail?.url || (item.mimeType?.startsWith('image/') ? item.url : undefined)
  return (
    <a className="media-thumb" href={`${adminRoute}/collections/media/${item.id}`}>
      {src ? (
        // eslint-disable-next-line @next/next/no-img-element -- thumbnails come from the media API, sized by sharp
        <img className="hub__thumbnail" src={src} alt={item.alt || item.filename || ''} />
      ) : (
        <span className="hub__file">{item.filename}</span>
      )}
      <span>
        {labelFor(item.mediaType)}
        {item.agentGenerated ? ' · generated' : ''}
      </span>
    </a>
  )
}
