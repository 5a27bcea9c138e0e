import type { CollectionBeforeDeleteHook } from 'payload'

import { Types } from 'mongoose'

import { archiveTasks, type ArchiveReason } from '../queue/taskArchive'

/**
 * The deletion policy for finished tasks (docs/DOMAIN.md): they no longer block deleting their project or episode;
 * they move to tasks_archive (with the reason) just before the delete, so their cost and history stay. Open tasks
 * still block (refuseDeleteWithChildren runs first: cancel them, then delete). Runs after the refusal hook, so a
 * refused delete archives nothing.
 */
export function archiveFinishedTasksOnDelete({ field, reason }: { field: 'project' | 'episode'; reason: ArchiveReason }): CollectionBeforeDeleteHook {
  return async ({ id, req }) => {
    // System code: the policy moves every finished task of the document, including ones the caller cannot see.
    await archiveTasks({ db: req.payload.db.connection.db!, filter: { [field]: new Types.ObjectId(String(id)) }, reason })
  }
}
