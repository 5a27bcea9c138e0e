import type { Payload } from 'payload'

import mongoose from 'mongoose'

import type { MaintenanceJobName } from '../../model/maintenance'
import type { MaintenanceSettings } from './settings'

import { MAINTENANCE_HISTORY_DAYS, maintenanceCollections } from '../../model/maintenance'
import { archiveTasks, finishedBefore } from '../../queue/taskArchive'
import { auditCollection, auditOlderThan, pruneReservations } from '../retention/prune'
import { backupToS3 } from './s3Backup'

export type JobContext = { payload: Payload; db: mongoose.mongo.Db; settings: MaintenanceSettings; now: Date }

/** What a job did, for its run record, its log line and its audit entry. */
export type JobSummary = Record<string, string | number | null>

type Job = {
  run: (context: JobContext) => Promise<JobSummary>
  /** The audit entry of a run that changed something (the entry's documentId is the run's id). */
  audit?: { operation: 'archive' | 'prune' | 'backup'; collection: string }
}

const dayMs = 24 * 60 * 60 * 1000

/**
 * The maintenance jobs. Each is safe to interrupt and to run again (archive and backup write copies before they
 * delete or name anything), and each uses only inserts, deletes and reads, so it is right on FerretDB too.
 */
export const maintenanceJobRunners: Record<MaintenanceJobName, Job> = {
  // Finished tasks out of the hot collection, with the engine's leases, settlements and cancel requests of each
  // (src/queue/taskArchive.ts, the same code as `npm run tasks:archive`).
  'tasks-archive': {
    audit: { operation: 'archive', collection: 'tasks' },
    run: async ({ db, settings, now }) => {
      const cutoff = new Date(now.getTime() - settings.taskArchiveAgeMs)
      const result = await archiveTasks({ db, filter: finishedBefore(cutoff), reason: 'retention', now })
      return { archived: result.archived, keptForDependants: result.keptForDependants, finishedBefore: cutoff.toISOString() }
    },
  },
  // Audit entries past AUDIT_RETENTION_DAYS. Deleted without a file of their own: the scheduled backups hold them
  // (for an archive file per run, `npm run retention -- --archive FILE`).
  'audit-retention': {
    audit: { operation: 'prune', collection: 'audit-log' },
    run: async ({ db, settings, now }) => {
      const cutoff = new Date(now.getTime() - settings.auditRetentionDays * dayMs)
      const { deletedCount } = await auditCollection(db).deleteMany(auditOlderThan(cutoff))
      return { removed: deletedCount, createdBefore: cutoff.toISOString() }
    },
  },
  // Stale number reservations (FerretDB: no TTL index) and the maintenance's own bookkeeping: run records and the
  // presence of workers older than MAINTENANCE_HISTORY_DAYS.
  reservations: {
    run: async ({ db, settings, now }) => {
      const reservations = await pruneReservations(db, new Date(now.getTime() - settings.reservationAgeMs))
      const history = new Date(now.getTime() - MAINTENANCE_HISTORY_DAYS * dayMs)
      const runs = await db.collection(maintenanceCollections.runs).deleteMany({ startedAt: { $lt: history } })
      const workers = await db.collection(maintenanceCollections.workers).deleteMany({ seenAt: { $lt: history } })
      return { reservationsRemoved: reservations.removed, reservationsLeftToTtlIndex: reservations.leftToTtlIndex, runsRemoved: runs.deletedCount, workersRemoved: workers.deletedCount }
    },
  },
  backup: {
    audit: { operation: 'backup', collection: 'database' },
    run: async ({ db, settings, now }): Promise<JobSummary> => {
      if (!settings.backup) return { skipped: 'no backup bucket configured' }
      return { ...(await backupToS3({ db, s3: settings.backup.s3, prefix: settings.backup.prefix, now })) }
    },
  },
}
