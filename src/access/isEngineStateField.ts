import type { FieldAccess } from 'payload'

import { isAdminUser } from '../model/roles'

/**
 * Field-level: a task's state as the engine keeps it (status, progress, output, error, worker). Every change of a
 * task's state goes through the engine (the /api/v1 task endpoints and the worker, docs/QUEUE.md): through REST,
 * GraphQL and the admin only admins write these, to repair a task. Members, workers (API keys) and everyone else
 * have their value dropped; a member cancels or retries through /api/v1/tasks/{id}/cancel and /retry.
 */
export const isEngineStateField: FieldAccess = ({ req: { user } }) => isAdminUser(user)
