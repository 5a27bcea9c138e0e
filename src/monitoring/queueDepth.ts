import type { Payload } from 'payload'

import { slugs } from '../model/slugs'
import { metrics } from '../lib/metrics/registry'

/**
 * Sets task_queue_depth from one grouped count of the tasks collection (by status and taskType), read at scrape
 * time so the figure is the database's, shared by every instance, not this process's view.
 */
export async function collectQueueDepth(payload: Payload) {
  const rows = await payload.db.collections[slugs.tasks].collection
    .aggregate<{ _id: { status?: string; taskType?: string }; count: number }>([
      { $group: { _id: { status: '$status', taskType: '$taskType' }, count: { $sum: 1 } } },
    ])
    .toArray()
  const { queueDepth } = metrics()
  queueDepth.reset()
  for (const { _id, count } of rows) queueDepth.set({ status: _id.status ?? 'none', taskType: _id.taskType ?? 'none' }, count)
}
