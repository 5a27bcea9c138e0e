import type { CollectionBeforeDeleteHook } from 'payload'

import { Types } from 'mongoose'

import { relationId } from '../model/references'
import { archiveTasks, type ArchiveReason } from '../queue/taskArchive'

/**
 * The deletion policy for finished tasks (docs/DOMAIN.md): they no longer block deleting their project or episode;
 * they move to tasks_archive (with the reason) just before the delete, so their cost and history stay. Open tasks
 * still block (refuseDeleteWithChildren runs first: cancel them, then delete). Runs after the refusal hook, so a
 * refused delete archives nothing.
 */
export function archiveFinishedTasksOnDelete({ field, reason }: { field: 'project' | 'episode'; reason: ArchiveReason }): CollectionBeforeDeleteHook {
  return async ({ collection, id, req }) => {
    // An episode's tasks are in its project: naming it sends the archive's reads to one shard, off (project, _id).
    const episode =
      field === 'episode'
        ? await req.payload.findByID({
            collection: collection.slug,
            id,
            depth: 0,
            select: { project: true } as never,
            // system code: the policy reads the episode whatever the caller may read
            overrideAccess: true,
            disableErrors: true,
            req,
          })
        : null
    const project = relationId((episode as { project?: unknown } | null)?.project)
    const scope = project ? { project: new Types.ObjectId(project) } : {}
    // System code: the policy moves every finished task of the document, including ones the caller cannot see.
    await archiveTasks({ db: req.payload.db.connection.db!, filter: { ...scope, [field]: new Types.ObjectId(String(id)) }, reason })
  }
}
