import type { S3Settings } from '../../lib/env'
import type { MaintenanceJobName } from '../../model/maintenance'

import { parseDuration } from '../../lib/duration'
import { env } from '../../lib/env'

/** What the scheduled maintenance does and how often (docs/OPERATIONS.md "Scheduled maintenance"). */
export type MaintenanceSettings = {
  /** MAINTENANCE=off: no job runs (the workers still report their presence). */
  enabled: boolean
  /** Every how many milliseconds each job runs; a job not named here does not run. */
  everyMs: Partial<Record<MaintenanceJobName, number>>
  /** Finished tasks older than this move to tasks_archive. */
  taskArchiveAgeMs: number
  /** Audit entries older than this many days are removed. */
  auditRetentionDays: number
  /** Number reservations older than this are removed (a create holds one for at most 30 s). */
  reservationAgeMs: number
  /** Where the scheduled backup goes; undefined: no scheduled backup. */
  backup?: { s3: S3Settings; prefix: string }
}

export class MaintenanceSettingsError extends Error {}

const DEFAULT_INTERVAL = '1h'
/** The spec's recovery point objective: a backup at least every hour. */
const DEFAULT_BACKUP_INTERVAL = '1h'

/**
 * Reads the maintenance settings from the environment; a value that cannot be read is an error naming the variable
 * (the worker refuses to start on it rather than run with a guess).
 */
export function maintenanceSettings(vars: Record<string, string | undefined> = process.env): MaintenanceSettings {
  const problems: string[] = []
  const duration = (name: string, value: string | undefined, fallback: string) => {
    const parsed = parseDuration(value || fallback)
    if (!parsed || parsed.ms < 60_000) {
      problems.push(`${name} takes a duration of at least a minute like 15m, 1h or 30d, not "${value}".`)
      return parseDuration(fallback)!.ms
    }
    return parsed.ms
  }
  const enabled = (vars.MAINTENANCE ?? '').toLowerCase() !== 'off'
  const interval = duration('MAINTENANCE_INTERVAL', vars.MAINTENANCE_INTERVAL, DEFAULT_INTERVAL)
  const taskArchiveAgeMs = duration('TASK_ARCHIVE_AGE', vars.TASK_ARCHIVE_AGE, '30d')
  const auditRetentionDays = Number(vars.AUDIT_RETENTION_DAYS || 365)
  if (!Number.isFinite(auditRetentionDays) || auditRetentionDays < 1) problems.push(`AUDIT_RETENTION_DAYS takes a positive number of days, not "${vars.AUDIT_RETENTION_DAYS}".`)

  // Backups use the media storage's S3 connection (S3_ENDPOINT, keys, region), into BACKUP_S3_BUCKET or the media
  // bucket; without an S3 connection there is no scheduled backup (npm run backup writes local files).
  const s3 = env.s3
  const backupOff = (vars.BACKUP_INTERVAL ?? '').toLowerCase() === 'off'
  const bucket = vars.BACKUP_S3_BUCKET || s3?.bucket
  const backupEveryMs = backupOff || !s3 || !bucket ? undefined : duration('BACKUP_INTERVAL', vars.BACKUP_INTERVAL, DEFAULT_BACKUP_INTERVAL)
  if (problems.length > 0) throw new MaintenanceSettingsError(problems.join('\n'))
  return {
    enabled,
    everyMs: {
      'tasks-archive': interval,
      'audit-retention': interval,
      reservations: interval,
      ...(backupEveryMs ? { backup: backupEveryMs } : {}),
    },
    taskArchiveAgeMs,
    auditRetentionDays,
    reservationAgeMs: 60 * 60 * 1000,
    ...(backupEveryMs && s3 && bucket ? { backup: { s3: { ...s3, bucket }, prefix: vars.BACKUP_S3_PREFIX ?? 'backups/' } } : {}),
  }
}
