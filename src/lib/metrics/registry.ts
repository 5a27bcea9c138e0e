import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client'

/**
 * The process's Prometheus metrics (GET /api/metrics). One registry per process, kept on globalThis: Next.js loads
 * route bundles as separate module graphs, and Payload's hooks and the metrics route must count into the same one.
 * Label values are route templates, collection and command names, statuses: never ids or user input.
 */
function createMetrics() {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const registers = [registry]
  return {
    registry,
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency, by route template, method and status',
      labelNames: ['route', 'method', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    dbCommandDuration: new Histogram({
      name: 'db_command_duration_seconds',
      help: 'Database command latency seen by the driver, by collection and command',
      labelNames: ['collection', 'command', 'outcome'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    dbSlowCommands: new Counter({
      name: 'db_slow_commands_total',
      help: 'Database commands slower than SLOW_COMMAND_MS, by collection and command',
      labelNames: ['collection', 'command'],
      registers,
    }),
    dbPoolConnections: new Gauge({
      name: 'db_pool_connections',
      help: 'Driver connection pool: connections in use and available (open but idle)',
      labelNames: ['state'],
      registers,
    }),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused by a rate limit, by policy and scope',
      labelNames: ['policy', 'scope'],
      registers,
    }),
    cacheLookups: new Counter({
      name: 'cache_lookups_total',
      help: 'Service cache lookups, by result (hit, miss)',
      labelNames: ['result'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'task_queue_depth',
      help: 'Generation tasks by status and taskType (read from the database at scrape time)',
      labelNames: ['status', 'taskType'],
      registers,
    }),
    // Read from the database at scrape time by src/ops/metrics/opsMetrics.ts (every instance reports the same figures).
    oldestQueuedAge: new Gauge({
      name: 'task_queue_oldest_age_seconds',
      help: 'Age of the oldest queued task, by taskType',
      labelNames: ['taskType'],
      registers,
    }),
    recentSettlements: new Gauge({
      name: 'task_attempts_settled_recent',
      help: 'Task attempts settled in the last 15 minutes, by outcome (completed, failed, expired, cancelled) and error code (none on success)',
      labelNames: ['outcome', 'code'],
      registers,
    }),
    maintenanceRuns: new Gauge({
      name: 'maintenance_runs',
      help: 'Scheduled maintenance runs recorded (the last 30 days), by job and outcome (ok, failed)',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    maintenanceLastRun: new Gauge({
      name: 'maintenance_last_run_timestamp_seconds',
      help: 'When each job last finished, by job and outcome (ok, failed)',
      labelNames: ['job', 'outcome'],
      registers,
    }),
    backupLastSuccess: new Gauge({
      name: 'backup_last_success_timestamp_seconds',
      help: 'When the last scheduled backup was written and verified (0: never)',
      registers,
    }),
    backupLastFailure: new Gauge({
      name: 'backup_last_failure_timestamp_seconds',
      help: 'When the last scheduled backup failed (0: never)',
      registers,
    }),
    backupIntervalSeconds: new Gauge({
      name: 'backup_interval_seconds',
      help: 'The scheduled backup interval (BACKUP_INTERVAL) as this instance reads it; 0: no scheduled backup',
      registers,
    }),
    workerLastSeen: new Gauge({
      name: 'worker_last_seen_timestamp_seconds',
      help: 'When any task worker last reported itself alive (0: never)',
      registers,
    }),
    workersAlive: new Gauge({
      name: 'workers_alive',
      help: 'Task workers that reported themselves alive in the last 2 minutes',
      registers,
    }),
    cacheHitRatio: new Gauge({
      name: 'cache_hit_ratio',
      help: 'Share of service cache lookups answered from the cache since the process started',
      registers,
      async collect() {
        const values = (await metrics().cacheLookups.get()).values
        const count = (result: string) => values.find((value) => value.labels.result === result)?.value ?? 0
        const total = count('hit') + count('miss')
        this.set(total === 0 ? 0 : count('hit') / total)
      },
    }),
  }
}

type Metrics = ReturnType<typeof createMetrics>
const holder = globalThis as typeof globalThis & { __appMetrics?: Metrics }

export function metrics(): Metrics {
  holder.__appMetrics ??= createMetrics()
  return holder.__appMetrics
}
