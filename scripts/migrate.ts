/**
 * `npm run migrate [-- up|down|status] [--dry-run]`: the data migrations in migrations/ (the data design's phases),
 * with progress bars, a report of what could not be migrated, and every declared index built before it returns.
 * Exit codes: 0 done, 1 a migration failed, 2 bad arguments or no database.
 */
import { parseArgs } from 'node:util'

import { payloadOrExit } from './lib/connect'

const usage = `Usage: npm run migrate -- [up|down|status] [--dry-run]

  up (default)  run the pending migrations as one batch, then build every declared index
  down          reverse the last batch
  status        list the migrations and whether they ran
  --dry-run     report what up or down would change; writes nothing

DATABASE_URL names the database (default: the development database of \`npm run db\`).
Exit codes: 0 done, 1 a migration failed, 2 bad arguments or database unreachable.`

let parsed
try {
  parsed = parseArgs({ allowPositionals: true, options: { 'dry-run': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } })
} catch (err) {
  console.error(`${(err as Error).message}\n\n${usage}`)
  process.exit(2)
}
const command = parsed.positionals[0] ?? 'up'
if (parsed.values.help) {
  console.log(usage)
  process.exit(0)
}
if (!['up', 'down', 'status'].includes(command) || parsed.positionals.length > 1) {
  console.error(usage)
  process.exit(2)
}
const dryRun = Boolean(parsed.values['dry-run'])

const { payload, engine, engineName } = await payloadOrExit()
const { dryRunMigrations, ensureDeclaredIndexes } = await import('../src/ops/migrations/runner')
const { formatReports } = await import('../src/ops/migrations/report')

let exitCode = 0
try {
  console.log(`Database: ${engineName}`)
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
    await payload.db.migrate()
    await ensureDeclaredIndexes({ payload, engine })
    console.log('Migrations done; every declared index is built.')
  } else {
    await payload.db.migrateDown()
  }
} catch (err) {
  console.error(`Migration failed: ${(err as Error).stack ?? String(err)}`)
  exitCode = 1
}
await payload.destroy()
process.exit(exitCode)
