import type { Payload, PayloadRequest } from 'payload'

import { createLocalReq } from 'payload'

import type { TaskAuditOperation } from '../model/audit'

import { recordAudit } from '../audit/recordAudit'
import { slugs } from '../model/slugs'

/** Who caused a transition: the worker's API-key user (claims, results) or the member who cancelled. */
export type AuditActor = { id: string; viaApiKey: boolean }

/** One engine transition as the audit log records it (docs/QUEUE.md, "Audit"). */
export type TaskAuditEntry = { operation: TaskAuditOperation; taskId: string; workerId: string; attempt: number; by?: AuditActor | null }

export type TaskAuditSink = (entry: TaskAuditEntry) => Promise<void>

/**
 * The audit sink of an engine bound to the app's Payload: each transition becomes one `audit-log` entry through
 * the same writer as every other entry (recordAudit), outside any transaction (the transition is already decided by
 * its insert). A failed entry write is logged and does not undo the transition.
 */
export function payloadAuditSink(payload: Payload): TaskAuditSink {
  return async ({ operation, taskId, workerId, attempt, by }) => {
    try {
      const req: PayloadRequest = await createLocalReq({}, payload)
      req.user = by ? ({ id: by.id, collection: slugs.users, _strategy: by.viaApiKey ? 'api-key' : 'local-jwt' } as never) : null
      await recordAudit({ req, entry: { operation, collection: slugs.tasks, documentId: taskId, workerId, attempt, changedFields: ['status'] }, withRequest: false })
    } catch (err) {
      payload.logger.error({ err, taskId, operation }, `Audit entry of task ${taskId} (${operation}, attempt ${attempt}) could not be written`)
    }
  }
}

/** The audit operation of an attempt's ending. */
export const endingOperation = {
  completed: 'task-complete',
  failed: 'task-fail',
  expired: 'task-expire',
  cancelled: 'task-cancel',
} as const satisfies Record<string, TaskAuditOperation>
