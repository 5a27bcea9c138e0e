/**
 * `npm run migrate [-- up|down|status] [--dry-run]`: the data migrations in migrations/ (the data design's phases),
 * with progress bars, a report of what could not be migrated, and every declared index built before it returns.
 * Exit codes: 0 done, 1 a migration failed, 2 bad arguments or no database.
 */
import { parseArgs } from 'node:util'

import { confirmOrExit, optionProblem, payloadOrExit, usageError } from './lib/connect'

const database = 'DATABASE_URL names the database (the environment, then .env; default the development database of `npm run db`).'
const exitCodes = 'Exit codes: 0 done, 1 a migration failed, 2 bad arguments, not confirmed or database unreachable.'
const usages: Record<string, string> = {
  general: `Usage: npm run migrate -- [up|down|status] [--dry-run] [--yes]

  up (default)  run the pending migrations as one batch, then build every declared index
  down          reverse the last batch (npm run migrate:down)
  status        list the migrations and whether they ran (npm run migrate:status)
  --dry-run     report what up or down would change; writes nothing
  --yes         down: do not ask for confirmation (asked on a terminal; needed without one)

${database}
${exitCodes}`,
  status: `Usage: npm run migrate:status

Lists every migration in migrations/ and the batch it ran in (or that it has not run). Read-only.
${database}
Exit codes: 0 listed, 1 failed, 2 bad arguments or database unreachable.`,
  down: `Usage: npm run migrate:down [-- --dry-run] [--yes]

Reverses the last batch of migrations (each migration's down).
  --dry-run   report what down would change; writes nothing
  --yes       do not ask for confirmation (asked on a terminal; needed without one)

${database}
${exitCodes}`,
}

let parsed
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, yes: { type: 'boolean', short: 'y' }, help: { type: 'boolean', short: 'h' } } })
} catch (err) {
  const command = process.argv.slice(2).find((arg) => !arg.startsWith('-'))
  usageError(optionProblem(err), usages[command ?? ''] ?? usages.general)
}
const command = parsed.positionals[0] ?? 'up'
const usage = usages[command] ?? usages.general
if (parsed.values.help) {
  console.log(usage)
  process.exit(0)
}
if (!['up', 'down', 'status'].includes(command)) usageError(`Unknown command "${command}" (up, down or status).`, usages.general)
if (parsed.positionals.length > 1) usageError(`One command at a time, not "${parsed.positionals.join(' ')}".`, usage)
if (command === 'status' && parsed.values['dry-run']) usageError('status takes no --dry-run: it only reads.', usage)
const dryRun = Boolean(parsed.values['dry-run'])
if (command === 'down' && !dryRun) await confirmOrExit({ yes: parsed.values.yes, action: 'reverse the last batch of migrations' })

const { payload, engine, engineName } = await payloadOrExit()
const { auditMigrations, dryRunMigrations, ensureDeclaredIndexes, plannedMigrations } = await import('../src/ops/migrations/runner')
const { formatReports } = await import('../src/ops/migrations/report')

let exitCode = 0
try {
  console.log(`Engine: ${engineName}`)
  if (command === 'status') {
    await payload.db.migrateStatus()
  } else if (dryRun) {
    const results = await dryRunMigrations({ payload, direction: command as 'up' | 'down' })
    if (results.length === 0) console.log(`Dry run: no migration to run ${command}.`)
    for (const { name, reports } of results) {
      console.log(`\nDry run of ${name} (${command}):`)
      console.log(reports ? formatReports(reports, { dryRun: true }) : '  (this migration has no dry run)')
    }
  } else if (command === 'up') {
    const planned = await plannedMigrations({ payload, direction: 'up' })
    await payload.db.migrate()
    await auditMigrations({ payload, names: planned.map((migration) => migration.name), direction: 'up' })
    await ensureDeclaredIndexes({ payload, engine })
    console.log('Migrations done; every declared index is built.')
  } else {
    const planned = await plannedMigrations({ payload, direction: 'down' })
    await payload.db.migrateDown()
    await auditMigrations({ payload, names: planned.map((migration) => migration.name), direction: 'down' })
  }
} catch (err) {
  console.error(`Migration failed: ${(err as Error).stack ?? String(err)}`)
  exitCode = 1
}
await payload.destroy()
process.exit(exitCode)
