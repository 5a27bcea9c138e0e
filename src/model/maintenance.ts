/**
 * The scheduled maintenance the workers run (src/ops/maintenance, docs/OPERATIONS.md "Scheduled maintenance"): its
 * jobs and the raw collections it keeps its turns, runs and the workers' presence in. Here, below both, because the
 * ops code writes them and the metrics read them.
 */
export const maintenanceJobs = ['tasks-archive', 'audit-retention', 'reservations', 'backup'] as const
export type MaintenanceJobName = (typeof maintenanceJobs)[number]

export const maintenanceCollections = {
  /** One per job and period (`_id` `<job>:<period>`): the instance whose insert lands runs that period's job. */
  turns: 'maintenance_turns',
  /** One per run: job, instance, start, end, outcome, summary or error. Kept MAINTENANCE_RUN_HISTORY_DAYS. */
  runs: 'maintenance_runs',
  /** One per worker process (`_id` its worker id): when it was last seen alive. */
  workers: 'worker_presence',
} as const

/** How long run records and the presence of workers gone quiet are kept. */
export const MAINTENANCE_HISTORY_DAYS = 30
/** A worker seen within this window counts as alive in `workers_alive`. */
export const WORKER_ALIVE_WINDOW_MS = 2 * 60 * 1000
