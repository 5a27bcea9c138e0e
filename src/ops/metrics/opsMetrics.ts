import type { Payload } from 'payload'

import type { MaintenanceRun } from '../maintenance/runner'

import { metrics } from '../../lib/metrics/registry'
import { maintenanceCollections, WORKER_ALIVE_WINDOW_MS } from '../../model/maintenance'
import { slugs } from '../../model/slugs'
import { queueCollectionNames } from '../../queue/queueStore'
import { maintenanceSettings } from '../maintenance/settings'

/** The window of task_attempts_settled_recent: long enough for a failure rate, short enough to react. */
const RECENT_SETTLEMENTS_MS = 15 * 60 * 1000
const seconds = (date: Date | undefined | null) => (date ? date.getTime() / 1000 : 0)

/**
 * Sets the operations gauges from the database at scrape time (GET /api/metrics), so every app instance reports the
 * same figures whichever process did the work: the oldest queued task per type, the attempts settled in the last
 * 15 minutes by outcome and error code, the scheduled maintenance's runs and the last backup, the workers' presence.
 * Each is one small read: the queue order index serves the queued tasks; settlements, runs and presence are kept
 * small by the maintenance itself.
 */
export async function collectOpsMetrics(payload: Payload, now = new Date()) {
  const db = payload.db.collections[slugs.tasks].db.db!
  const gauges = metrics()

  // Grouped counts, then one indexed read per group for its extreme: FerretDB v1 implements no $min / $max
  // accumulator, and the groups are few (task types; jobs × outcomes).
  const tasks = db.collection(slugs.tasks)
  const queuedTypes = await tasks.aggregate<{ _id: string | null }>([{ $match: { status: 'queued' } }, { $group: { _id: '$taskType', count: { $sum: 1 } } }]).toArray()
  gauges.oldestQueuedAge.reset()
  for (const { _id: taskType } of queuedTypes) {
    const oldest = await tasks.findOne({ status: 'queued', taskType }, { sort: { createdAt: 1 }, projection: { createdAt: 1 } })
    if (oldest) gauges.oldestQueuedAge.set({ taskType: taskType ?? 'none' }, Math.max(0, (now.getTime() - new Date(oldest.createdAt).getTime()) / 1000))
  }

  const settled = await db
    .collection(queueCollectionNames.settlements)
    .aggregate<{ _id: { outcome: string; code: string | null }; count: number }>([
      { $match: { at: { $gte: new Date(now.getTime() - RECENT_SETTLEMENTS_MS) } } },
      { $group: { _id: { outcome: '$outcome', code: '$error.code' }, count: { $sum: 1 } } },
    ])
    .toArray()
  gauges.recentSettlements.reset()
  for (const row of settled) gauges.recentSettlements.set({ outcome: row._id.outcome, code: row._id.code ?? 'none' }, row.count)

  const runCollection = db.collection<MaintenanceRun>(maintenanceCollections.runs)
  const groups = await runCollection
    .aggregate<{ _id: { job: string; outcome: string }; count: number }>([{ $group: { _id: { job: '$job', outcome: '$outcome' }, count: { $sum: 1 } } }])
    .toArray()
  const runs = await Promise.all(
    groups.map(async (group) => {
      const latest = await runCollection.findOne({ job: group._id.job as never, outcome: group._id.outcome as never }, { sort: { finishedAt: -1 }, projection: { finishedAt: 1 } })
      return { ...group, last: latest?.finishedAt }
    }),
  )
  gauges.maintenanceRuns.reset()
  gauges.maintenanceLastRun.reset()
  for (const row of runs) {
    gauges.maintenanceRuns.set(row._id, row.count)
    gauges.maintenanceLastRun.set(row._id, seconds(row.last))
  }
  const lastBackup = (outcome: string) => runs.find((row) => row._id.job === 'backup' && row._id.outcome === outcome)?.last
  gauges.backupLastSuccess.set(seconds(lastBackup('ok')))
  gauges.backupLastFailure.set(seconds(lastBackup('failed')))
  let backupEveryMs = 0
  try {
    backupEveryMs = maintenanceSettings().everyMs.backup ?? 0
  } catch {
    // A bad setting stops the worker, which says why; the app reports no schedule rather than failing the scrape.
  }
  gauges.backupIntervalSeconds.set(backupEveryMs / 1000)

  const workers = await db.collection<{ _id: string; seenAt: Date }>(maintenanceCollections.workers).find({}, { projection: { seenAt: 1 } }).toArray()
  gauges.workerLastSeen.set(seconds(workers.reduce<Date | null>((latest, worker) => (!latest || worker.seenAt > latest ? worker.seenAt : latest), null)))
  gauges.workersAlive.set(workers.filter((worker) => now.getTime() - worker.seenAt.getTime() <= WORKER_ALIVE_WINDOW_MS).length)
}
