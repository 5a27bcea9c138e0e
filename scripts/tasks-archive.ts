/**
 * `npm run tasks:archive -- --older-than 30d [--batch-size 500] [--dry-run]`: moves finished tasks (completed,
 * failed, cancelled) that finished before the cutoff from `tasks` into `tasks_archive`, in batches, with a progress
 * bar. Safe to interrupt and to run again: a task is always in one collection or (briefly) both, never in neither
 * (src/queue/taskArchive.ts). Exit codes: 0 done, 1 failed, 2 bad arguments or no database.
 */
import { connectOrExit, parseOrExit, usageError } from './lib/connect'
import { parseDuration } from '../src/lib/duration'
import { startProgressBar } from '../src/lib/progressBar'

const usage = `Usage: npm run tasks:archive -- --older-than AGE [--batch-size N] [--dry-run]

  --older-than AGE   archive tasks that finished more than AGE ago: 30d, 12h or 90m (default TASK_ARCHIVE_AGE or 30d)
  --batch-size N     tasks copied and deleted per batch (default 500)
  --dry-run          count what would be archived; change nothing

Tasks an open (queued or processing) task depends on stay until it has finished.
Exit codes: 0 done, 1 failed, 2 bad arguments or database unreachable.`

const { values } = await parseOrExit(
  { options: { 'older-than': { type: 'string' }, 'batch-size': { type: 'string' }, 'dry-run': { type: 'boolean' } } },
  usage,
)
const olderThan = values['older-than'] ?? process.env.TASK_ARCHIVE_AGE ?? '30d'
const age = parseDuration(olderThan, ['d', 'h', 'm'])
const batchSize = Number(values['batch-size'] ?? 500)
// One message per problem, each naming the flag it is about.
const problems = [
  ...(!age ? [`--older-than${values['older-than'] ? '' : ' (TASK_ARCHIVE_AGE)'} takes an age like 30d, 12h or 90m, not "${olderThan}".`] : []),
  ...(age && age.amount < 1 ? [`--older-than must be at least 1${age.unit}: "${olderThan}" would archive tasks that finished just now.`] : []),
  ...(!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000 ? [`--batch-size takes a whole number from 1 to 10000, not "${values['batch-size']}".`] : []),
]
if (problems.length > 0 || !age) usageError(problems.join('\n'), usage)
const cutoff = new Date(Date.now() - age.ms)
const dryRun = Boolean(values['dry-run'])

const connection = await connectOrExit()
const db = connection.db!
const { archiveTasks, finishedBefore, finishedTasksFilter, TASK_ARCHIVE_COLLECTION } = await import('../src/queue/taskArchive')

const filter = finishedBefore(cutoff)
let exitCode = 0
try {
  const before = { live: await db.collection('tasks').countDocuments(), archived: await db.collection(TASK_ARCHIVE_COLLECTION).countDocuments() }
  const candidates = await db.collection('tasks').countDocuments(finishedTasksFilter(filter))
  const progress = startProgressBar({ label: dryRun ? 'tasks to archive (dry run)' : 'archive finished tasks', total: candidates })
  const result = await archiveTasks({ db, filter, reason: 'retention', batchSize, dryRun, onBatch: (looked) => progress.advance(looked) })
  progress.stop()
  const after = { live: await db.collection('tasks').countDocuments(), archived: await db.collection(TASK_ARCHIVE_COLLECTION).countDocuments() }
  console.log(
    `tasks: ${dryRun ? 'would archive' : 'archived'} ${result.archived} finished before ${cutoff.toISOString()}; ` +
      `kept ${result.keptForDependants} an open task depends on`,
  )
  console.log(`tasks: live ${before.live} → ${after.live}, archived ${before.archived} → ${after.archived}`)
} catch (err) {
  console.error(`Archiving tasks failed: ${(err as Error).message}\nNothing is lost: run it again to finish.`)
  exitCode = 1
}
await connection.close()
process.exit(exitCode)
