import { refuseDeleteWithChildren } from '../../../hooks/refuseDeleteWithChildren'
import { openTaskStatuses } from '../../../model/options'
import { slugs } from '../../../model/slugs'

/** An episode is deleted only once no scene, medium or task points at it (docs/DOMAIN.md, deletion policy). */
export const refuseEpisodeDelete = refuseDeleteWithChildren({
  label: 'episode',
  inProject: true,
  children: [
    { collection: slugs.scenes, field: 'episode', label: 'scenes' },
    { collection: slugs.media, field: 'episode', label: 'media' },
    // Finished tasks do not block: archiveFinishedTasksOnDelete moves them to tasks_archive (docs/QUEUE.md).
    { collection: slugs.tasks, field: 'episode', label: 'open tasks', where: { status: { in: [...openTaskStatuses] } } },
  ],
})
