import { taskStatusMachine } from '../domain/statusMachines'
import { cancel, cancelDependants } from './cancel'
import { claim } from './claim'
import { heartbeat } from './heartbeat'
import { createQueueContext, type QueueContext, type TaskQueueOptions } from './queueContext'
import { reapExpired } from './reap'
import { reconcile } from './reconcile'
import { complete, fail } from './settle'

export {
  DEFAULT_LEASE_MS,
  type ProgressReport,
  type QueueTestSeams,
  type SettledTask,
  type TaskLanding,
  type TaskOutput,
  type TaskProgress,
  type TaskQueueOptions,
  type TaskStatus,
  type TaskTransition,
} from './queueContext'

/** Binds an operation to the engine's context: the caller passes the operation's own arguments. */
const bind =
  <Args extends unknown[], Result>(ctx: QueueContext, operation: (ctx: QueueContext, ...args: Args) => Result) =>
  (...args: Args): Result =>
    operation(ctx, ...args)

/**
 * The task engine: claims, heartbeats, results, retries, cancellation, lease expiry (docs/QUEUE.md). Each operation
 * is a file of its own over the engine's context (src/queue/queueContext.ts); this only binds them. Every method is
 * system code (the caller's rights are checked by taskService before); every race is decided by inserting a lease
 * or a settlement under a unique `_id`, which is atomic on MongoDB and on FerretDB alike.
 */
export function createTaskQueue(options: TaskQueueOptions) {
  const ctx: QueueContext = createQueueContext(options, (args) => cancelDependants(ctx, args))
  return {
    claim: bind(ctx, claim),
    heartbeat: bind(ctx, heartbeat),
    complete: bind(ctx, complete),
    fail: bind(ctx, fail),
    cancel: bind(ctx, cancel),
    reapExpired: bind(ctx, reapExpired),
    reconcile: bind(ctx, reconcile),
    policies: ctx.policies,
    leaseMs: ctx.leaseMs,
    machine: taskStatusMachine,
  }
}

export type TaskQueue = ReturnType<typeof createTaskQueue>
