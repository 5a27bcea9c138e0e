import type mongoose from 'mongoose'

import { toObjectId } from './queueStore'

const idText = (value: unknown) => (value && typeof value === 'object' && 'toHexString' in value ? (value as { toHexString(): string }).toHexString() : String(value))

const isFromTask = (value: unknown): value is { fromTask: string } =>
  Boolean(value) && typeof value === 'object' && !Array.isArray(value) && typeof (value as { fromTask?: unknown }).fromTask === 'string'

/**
 * Replaces a queued task's `{ fromTask: <id> }` parameters by the output media of those tasks (docs/QUEUE.md,
 * Dependencies that pass media). The engine calls it when it has won the claim of such a task and before it writes
 * and returns the claimed task: every dependency has completed by then, so the worker (in process or over HTTP)
 * gets media ids. Only those parameter paths are written ($set).
 */
export async function resolveFromTasks(tasks: mongoose.mongo.Collection, taskId: string): Promise<void> {
  const task = await tasks.findOne({ _id: toObjectId(taskId) }, { projection: { status: 1, input: 1 } })
  const parameters = task?.input?.parameters as Record<string, unknown> | undefined
  if (!task || task.status !== 'queued' || !parameters) return
  const markers = Object.entries(parameters).filter(([, value]) => isFromTask(value))
  if (markers.length === 0) return
  const ids = [...new Set(markers.map(([, value]) => (value as { fromTask: string }).fromTask))]
  const sources = await tasks
    .find({ _id: { $in: ids.map(toObjectId) }, status: 'completed' }, { projection: { output: 1 } })
    .toArray()
  const mediaOf = new Map(sources.map((source) => [idText(source._id), source.output?.mediaId ? idText(source.output.mediaId) : null]))
  const set: Record<string, unknown> = {}
  for (const [name, value] of markers) {
    const { fromTask } = value as { fromTask: string }
    if (mediaOf.has(fromTask)) set[`input.parameters.${name}`] = mediaOf.get(fromTask)
  }
  if (Object.keys(set).length > 0) await tasks.updateOne({ _id: task._id, status: 'queued' }, { $set: set })
}

/** Whether a task's parameters (as a claim reads them) hold a marker to resolve. */
export const hasFromTaskMarkers = (parameters: unknown) =>
  Boolean(parameters) && typeof parameters === 'object' && Object.values(parameters as Record<string, unknown>).some(isFromTask)

