import type { Payload } from 'payload'

import mongoose from 'mongoose'
import { createLocalReq } from 'payload'

import type { MaintenanceJobName } from '../../model/maintenance'
import type { JobSummary } from './jobs'
import type { MaintenanceSettings } from './settings'

import { isDuplicateKeyError } from '../../db/duplicateKey'
import { recordAudit } from '../../audit/recordAudit'
import { maintenanceCollections, maintenanceJobs } from '../../model/maintenance'
import { slugs } from '../../model/slugs'
import { maintenanceJobRunners } from './jobs'

type ObjectId = mongoose.Types.ObjectId

/** One run of one job, as stored in maintenance_runs (and read back by the metrics). */
export type MaintenanceRun = {
  _id: ObjectId
  job: MaintenanceJobName
  period: number
  instance: string
  startedAt: Date
  finishedAt: Date
  outcome: 'ok' | 'failed'
  summary?: JobSummary
  error?: string
}

type TurnDoc = { _id: string; job: MaintenanceJobName; period: number; instance: string; at: Date }
type PresenceDoc = { _id: string; seenAt: Date; startedAt: Date }

const databaseOf = (payload: Payload) => payload.db.collections[slugs.tasks].db.db!

/**
 * Takes this period's turn of `job` for `instance`: the insert of `<job>:<period>` into maintenance_turns, whose
 * unique `_id` lets exactly one instance in, on MongoDB and FerretDB alike (the reaper takes its turn the same way,
 * src/queue/taskQueue.ts). Earlier turns of the job are spent and deleted.
 */
async function takeTurn(db: mongoose.mongo.Db, job: MaintenanceJobName, period: number, instance: string, now: Date): Promise<boolean> {
  const turns = db.collection<TurnDoc>(maintenanceCollections.turns)
  try {
    await turns.insertOne({ _id: `${job}:${period}`, job, period, instance, at: now })
  } catch (err) {
    if (isDuplicateKeyError(err)) return false
    throw err
  }
  await turns.deleteMany({ job, period: { $lt: period } })
  return true
}

/** Records that this worker is alive (`worker_presence`, read by the metrics for the no-heartbeat alert). */
export async function reportPresence(payload: Payload, instance: string, now = new Date()) {
  await databaseOf(payload)
    .collection<PresenceDoc>(maintenanceCollections.workers)
    .updateOne({ _id: instance }, { $set: { seenAt: now }, $setOnInsert: { startedAt: now } }, { upsert: true })
}

/**
 * One round of the scheduled maintenance as `instance`: reports the worker's presence, then, unless switched off,
 * runs each job whose current period's turn it takes (a period is the job's interval, counted from the epoch, so
 * every instance agrees on it). Each run is logged, stored in maintenance_runs (the metrics count them) and, when
 * it changed something, written to the audit log. A failing job does not stop the others. Returns the runs made.
 */
export async function runMaintenanceRound({
  payload,
  instance,
  settings,
  now = () => new Date(),
}: {
  payload: Payload
  instance: string
  settings: MaintenanceSettings
  now?: () => Date
}): Promise<MaintenanceRun[]> {
  const db = databaseOf(payload)
  await reportPresence(payload, instance, now())
  if (!settings.enabled) return []
  const runs: MaintenanceRun[] = []
  for (const job of maintenanceJobs) {
    const everyMs = settings.everyMs[job]
    if (!everyMs) continue
    const startedAt = now()
    const period = Math.floor(startedAt.getTime() / everyMs)
    if (!(await takeTurn(db, job, period, instance, startedAt))) continue
    const run: MaintenanceRun = { _id: new mongoose.Types.ObjectId(), job, period, instance, startedAt, finishedAt: startedAt, outcome: 'ok' }
    const runner = maintenanceJobRunners[job]
    try {
      run.summary = await runner.run({ payload, db, settings, now: startedAt })
    } catch (err) {
      run.outcome = 'failed'
      run.error = (err as Error).message
    }
    run.finishedAt = now()
    await db.collection<MaintenanceRun>(maintenanceCollections.runs).insertOne(run)
    const ms = run.finishedAt.getTime() - startedAt.getTime()
    if (run.outcome === 'ok') payload.logger.info({ msg: `maintenance ${job} done in ${ms} ms`, job, instance, run: String(run._id), ...run.summary })
    else payload.logger.error({ msg: `maintenance ${job} failed after ${ms} ms: ${run.error}`, job, instance, run: String(run._id) })
    if (runner.audit && run.outcome === 'ok') {
      // A system entry (no user): the audit log records what the system removed, moved or copied, and when.
      await recordAudit({
        req: await createLocalReq({}, payload),
        entry: { operation: runner.audit.operation, collection: runner.audit.collection, documentId: String(run._id), changedFields: Object.keys(run.summary ?? {}) },
        withRequest: false,
      })
    }
    runs.push(run)
  }
  return runs
}

/**
 * Runs a maintenance round every `tickMs` beside a worker until stopped (every worker runs it; the turns let one
 * instance run each job per period). A round starts only after the previous one ended. stop() waits for a round
 * under way; the worker's presence stays, so a fleet that stopped shows as silent.
 */
export function startMaintenance({
  payload,
  instance,
  settings,
  tickMs = 30_000,
}: {
  payload: Payload
  instance: string
  settings: MaintenanceSettings
  tickMs?: number
}): { stop: () => Promise<void> } {
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let current: Promise<void> = Promise.resolve()
  const round = () => {
    current = runMaintenanceRound({ payload, instance, settings })
      .then(
        () => undefined,
        (err) => payload.logger.error({ msg: `maintenance round failed: ${(err as Error).message}`, instance }),
      )
      .then(() => {
        if (stopped) return
        timer = setTimeout(round, tickMs)
        timer.unref()
      })
  }
  round()
  return {
    stop: async () => {
      stopped = true
      clearTimeout(timer)
      await current
    },
  }
}
