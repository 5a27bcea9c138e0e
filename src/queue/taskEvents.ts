import type { TaskProgress, TaskTransition } from './taskQueue'

import { getProjectEventBus } from '../lib/events/projectEvents'

type Listener = (transition: TaskTransition) => void

const listeners = new Set<Listener>()

/** Subscribes to every task transition of this process's engine; returns the unsubscribe function. */
export function onTaskTransition(listener: Listener): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

/** Tells this process's listeners and the project's live event stream (every instance, with Redis). */
export function publishTaskTransition(transition: TaskTransition): void {
  for (const listener of listeners) {
    try {
      listener(transition)
    } catch {
      // A listener's failure (a closed stream) must not fail the transition that already happened.
    }
  }
  void getProjectEventBus().publish(transition.projectId, {
    type: 'task.status',
    taskId: transition.taskId,
    taskType: transition.taskType,
    status: transition.status,
    attempt: transition.attempt,
    ...(transition.workerId ? { workerId: transition.workerId } : {}),
    ...(transition.reason ? { reason: transition.reason } : {}),
    at: transition.at.toISOString(),
  })
}

export function publishTaskProgress({ projectId, at, ...rest }: TaskProgress): void {
  void getProjectEventBus().publish(projectId, { type: 'task.progress', ...rest, at: at.toISOString() })
}
