import type { Payload } from 'payload'

import { productionLanding } from '../records/production/landing'
import { publishTaskProgress, publishTaskTransition } from './taskEvents'
import { createTaskQueue, type TaskQueue } from './taskQueue'

const queues = new WeakMap<Payload, TaskQueue>()

/**
 * The engine of this Payload instance (one per process), publishing its transitions and progress to onTaskTransition
 * listeners and to the projects' live event streams, and landing results in the production (slots, scene status).
 */
export function getTaskQueue(payload: Payload): TaskQueue {
  let queue = queues.get(payload)
  if (!queue) {
    queue = createTaskQueue({
      payload,
      onTransition: publishTaskTransition,
      onProgress: publishTaskProgress,
      landing: productionLanding(payload),
    })
    queues.set(payload, queue)
  }
  return queue
}

export { createTaskQueue, type TaskQueue, type TaskTransition } from './taskQueue'
export { onTaskTransition } from './taskEvents'
