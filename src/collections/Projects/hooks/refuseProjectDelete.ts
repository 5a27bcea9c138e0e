import { refuseDeleteWithChildren } from '../../../hooks/refuseDeleteWithChildren'
import { openTaskStatuses } from '../../../model/options'
import { slugs } from '../../../model/slugs'

/** A project is deleted only once nothing belongs to it any more (docs/DOMAIN.md, deletion policy). */
export const refuseProjectDelete = refuseDeleteWithChildren({
  label: 'project',
  children: [
    { collection: slugs.episodes, field: 'project', label: 'episodes' },
    { collection: slugs.scenes, field: 'project', label: 'scenes' },
    { collection: slugs.characters, field: 'project', label: 'characters' },
    { collection: slugs.media, field: 'project', label: 'media' },
    // Finished tasks do not block: archiveFinishedTasksOnDelete moves them to tasks_archive (docs/QUEUE.md).
    { collection: slugs.tasks, field: 'project', label: 'open tasks', where: { status: { in: [...openTaskStatuses] } } },
    { collection: slugs.sessions, field: 'project', label: 'sessions' },
  ],
})
