/**
 * `npm run worker -- [--concurrency 4] [--types image_generation,script_generation] [--once]`: runs AI tasks from
 * the queue with the handlers of src/worker/handlers (docs/QUEUE.md). SIGTERM/SIGINT stop claiming, let running
 * tasks finish (or release them after WORKER_DRAIN_MS) and exit. One log line per task transition.
 */
import os from 'node:os'

import { announceDatabase, describeDatabaseUrl, parseOrExit, usageError } from './lib/connect'

const usage = `Usage: npm run worker -- [--concurrency N] [--types TYPE,TYPE…] [--once]

  --concurrency N   tasks run at the same time (1 to 64, default 1)
  --types LIST      only claim these task types (comma-separated; default every type with a handler)
  --once            claim until the queue is empty, then exit

Claims queued tasks of every project (oldest first by priority; docs/QUEUE.md) and runs them with the handlers of
src/worker/handlers. SIGTERM/SIGINT stop claiming, let running tasks finish (or release them after
WORKER_DRAIN_MS) and exit. Reads the app's configuration: the environment, then .env; DATABASE_URL is required
(the worker never starts a database of its own). Unless --once, every worker also takes part in the scheduled
maintenance (MAINTENANCE, MAINTENANCE_INTERVAL, BACKUP_INTERVAL; docs/OPERATIONS.md).
Exit codes: 0 stopped, 1 failed, 2 bad arguments, no DATABASE_URL or database unreachable.`

const { values } = parseOrExit(
  { options: { concurrency: { type: 'string', default: '1' }, types: { type: 'string' }, once: { type: 'boolean', default: false } } },
  usage,
)
const concurrency = Number(values.concurrency)
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) usageError(`--concurrency takes a whole number from 1 to 64, not "${values.concurrency}".`, usage)
const { taskTypes } = await import('../src/model/options')
const types = values.types?.split(',').map((type) => type.trim()).filter(Boolean)
const unknown = types?.filter((type) => !(taskTypes as readonly string[]).includes(type)) ?? []
if (unknown.length > 0) usageError(`--types: unknown task type(s) ${unknown.join(', ')} (known: ${taskTypes.join(', ')}).`, usage)

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  console.error('DATABASE_URL is not set (in the environment or .env): the worker runs tasks from the app\'s database and never starts one of its own. Set it to the database `npm run dev` or `npm start` uses.')
  process.exit(2)
}
announceDatabase(databaseUrl)
const { maintenanceSettings } = await import('../src/ops/maintenance/settings')
let maintenance
try {
  maintenance = maintenanceSettings()
} catch (err) {
  usageError((err as Error).message, usage)
}
const { detectDatabaseEngine } = await import('../src/db/engine')
try {
  await detectDatabaseEngine(databaseUrl)
} catch (err) {
  console.error(`Cannot reach the database ${describeDatabaseUrl(databaseUrl)}: ${(err as Error).message.replace(/mongodb(\+srv)?:\/\/\S+/g, '<DATABASE_URL>')}`)
  process.exit(2)
}

const { getPayload } = await import('payload')
const config = (await import('../payload.config')).default
const { getTaskQueue } = await import('../src/queue')
const { taskHandlers } = await import('../src/worker/handlers')
const { startWorker } = await import('../src/worker/runWorker')
const { usesLocalProvider } = await import('../src/providers/local')
const { startMaintenance } = await import('../src/ops/maintenance/runner')

const payload = await getPayload({ config })
const workerId = `${os.hostname()}-${process.pid}`
const worker = startWorker({
  payload,
  queue: getTaskQueue(payload),
  handlers: taskHandlers,
  workerId,
  concurrency,
  types,
  once: values.once,
  drainMs: Number(process.env.WORKER_DRAIN_MS || 30_000),
})
// The provider is what AI_PROVIDER says: this script never falls back to the local one on its own.
const providers = usesLocalProvider() ? 'local (AI_PROVIDER=local)' : 'fal, openrouter, elevenlabs, jina'
console.log(
  `worker=${workerId} started: concurrency=${concurrency} types=${types?.join(',') ?? 'all with a handler'}${values.once ? ' once' : ''} providers=${providers}`,
)
// The scheduled maintenance (docs/OPERATIONS.md): every worker takes part, one instance runs each job per period.
const maintenanceRounds = values.once ? undefined : startMaintenance({ payload, instance: workerId, settings: maintenance })
const schedule = Object.entries(maintenance.everyMs).map(([job, ms]) => `${job}/${Math.round(ms / 60_000)}m`).join(' ')
console.log(`worker=${workerId} maintenance: ${values.once ? 'not with --once' : maintenance.enabled ? schedule : 'off (MAINTENANCE=off)'}`)
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`worker=${workerId} ${signal}: no more claims, finishing running tasks`)
    worker.stop()
  })
}
await worker.done
await maintenanceRounds?.stop()
console.log(`worker=${workerId} stopped`)
await payload.destroy()
process.exit(0)
