import type { CollectionAfterChangeHook } from 'payload'

import type { Task } from '../../../payload-types'

import { relationId } from '../../../model/references'
import { runAfterCommit } from '../../../db/afterCommit'
import { getProjectEventBus } from '../../../lib/events/projectEvents'
import { noteTasksEnqueued } from '../../../queue/claimCandidates'

/**
 * A task enqueued (by any path: /api/v1, REST, GraphQL, the admin) is a `task.status` event with status queued; its
 * later changes come from the engine (src/queue/taskEvents.ts). Published after the commit, so a client that
 * reacts by reading the task finds it; then this process's claims drop their shared candidate list, so the new task
 * is claimable here at once (src/queue/claimCandidates.ts).
 */
export const publishTaskCreated: CollectionAfterChangeHook<Task> = async ({ doc, operation, req }) => {
  const projectId = relationId(doc.project)
  if (operation !== 'create' || !projectId) return doc
  await runAfterCommit({
    req,
    key: `task-created ${doc.id}`,
    task: () => {
      noteTasksEnqueued()
      return getProjectEventBus().publish(projectId, {
        type: 'task.status',
        taskId: doc.id,
        taskType: doc.taskType,
        status: doc.status ?? 'queued',
        attempt: 0,
        at: new Date().toISOString(),
      })
    },
  })
  return doc
}
