'use client'
import { useDocumentInfo } from '@payloadcms/ui'

import type { Media } from '../../payload-types'
import { MediaThumbnail } from './MediaThumbnail'
import { useApiList } from './useApiList'

/** The scene view's media (files whose `scene` is this one), newest first, as thumbnails. */
export function SceneMedia() {
  const { id } = useDocumentInfo()
  const scene = id === undefined ? undefined : String(id)
  const media = useApiList<Media>({
    collection: 'media',
    query: scene && `where[scene][equals]=${scene}&sort=-createdAt&limit=24&depth=0`,
  })
  if (!scene) return null
  return (
    <div className="hub" data-hub="scene-media">
      <section className="hub__section">
        <header className="hub__header">
          <h3>Media of this scene</h3>
        </header>
        <ul className="hub__thumbnails">
          {(media.docs ?? []).map((item) => (
            <li key={item.id}>
              <MediaThumbnail item={item} adminRoute={media.adminRoute} />
            </li>
          ))}
        </ul>
        {media.docs?.length === 0 && <p className="hub__hint">No media yet: upload a file and choose this scene.</p>}
      </section>
    </div>
  )
}
