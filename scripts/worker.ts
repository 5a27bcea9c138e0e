/**
 * `npm run worker -- [--concurrency 4] [--types image_generation,script_generation] [--once]`: runs AI tasks from
 * the queue with the handlers of src/worker/handlers (docs/QUEUE.md). SIGTERM/SIGINT stop claiming, let running
 * tasks finish (or release them after WORKER_DRAIN_MS) and exit. One log line per task transition.
 */
import os from 'node:os'
import { parseArgs } from 'node:util'

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '1' },
    types: { type: 'string' },
    once: { type: 'boolean', default: false },
  },
})
const concurrency = Number(values.concurrency)
if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
  console.error('--concurrency must be a whole number from 1 to 64')
  process.exit(2)
}

const { getPayload } = await import('payload')
const config = (await import('../payload.config')).default
const { getTaskQueue } = await import('../src/queue')
const { taskHandlers } = await import('../src/worker/handlers')
const { startWorker } = await import('../src/worker/runWorker')
const { taskTypes } = await import('../src/model/options')
const { usesLocalProvider } = await import('../src/providers/local')

const types = values.types?.split(',').map((type) => type.trim()).filter(Boolean)
const unknown = types?.filter((type) => !(taskTypes as readonly string[]).includes(type)) ?? []
if (unknown.length > 0) {
  console.error(`Unknown task types: ${unknown.join(', ')} (known: ${taskTypes.join(', ')})`)
  process.exit(2)
}

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
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.log(`worker=${workerId} ${signal}: no more claims, finishing running tasks`)
    worker.stop()
  })
}
await worker.done
console.log(`worker=${workerId} stopped`)
await payload.destroy()
process.exit(0)
