import { refuseDeleteWithChildren } from '../../../hooks/refuseDeleteWithChildren'
import { slugs } from '../../slugs'

/** An episode is deleted only once no scene, medium or task points at it (docs/DOMAIN.md, deletion policy). */
export const refuseEpisodeDelete = refuseDeleteWithChildren({
  label: 'episode',
  children: [
    { collection: slugs.scenes, field: 'episode', label: 'scenes' },
    { collection: slugs.media, field: 'episode', label: 'media' },
    { collection: slugs.tasks, field: 'episode', label: 'tasks' },
  ],
})
