/**
 * `npm run retention`: drops audit-log entries older than the retention age (archiving them first when asked: into
 * a new file, read back before anything is deleted) and the number reservations no create needs any more.
 * Exit codes: 0 done, 1 failed, 2 bad arguments, an existing archive file, not confirmed or no database.
 */
import { existsSync } from 'node:fs'
import path from 'node:path'

import { confirmOrExit, connectOrExit, parseOrExit, usageError } from './lib/connect'

const usage = `Usage: npm run retention -- [--audit-days N] [--archive FILE] [--reservation-minutes M] [--dry-run] [--yes]

  --audit-days N           keep audit-log entries younger than N days (default AUDIT_RETENTION_DAYS or 365)
  --archive FILE           first write the entries it removes to FILE (gzip, one EJSON document a line), a new
                           file: an existing one is refused, never overwritten. Only entries the written file
                           holds (read back) are deleted.
  --reservation-minutes M  remove number reservations older than M minutes (default 60; a create holds one
                           for at most 30 s, after which its child's unique index guards the number)
  --dry-run                count what would be removed; change nothing
  --yes                    do not ask for confirmation (asked on a terminal; needed without one)

Acts on DATABASE_URL's database (the environment, then .env).
Exit codes: 0 done, 1 failed, 2 bad arguments, an existing archive file, not confirmed or database unreachable.`

const { values } = await parseOrExit(
  {
    options: {
      'audit-days': { type: 'string' },
      archive: { type: 'string' },
      'reservation-minutes': { type: 'string' },
      'dry-run': { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
    },
  },
  usage,
)
const auditDays = Number(values['audit-days'] ?? process.env.AUDIT_RETENTION_DAYS ?? 365)
const reservationMinutes = Number(values['reservation-minutes'] ?? 60)
const problems = [
  ...(!Number.isFinite(auditDays) || auditDays < 1 ? [`--audit-days (or AUDIT_RETENTION_DAYS) takes a positive number of days, not "${values['audit-days'] ?? process.env.AUDIT_RETENTION_DAYS}".`] : []),
  ...(!Number.isFinite(reservationMinutes) || reservationMinutes < 1 ? [`--reservation-minutes takes a positive number of minutes, not "${values['reservation-minutes']}".`] : []),
]
if (problems.length > 0) usageError(problems.join('\n'), usage)
const dryRun = Boolean(values['dry-run'])
if (values.archive && existsSync(values.archive)) {
  console.error(`${path.resolve(values.archive)} exists: retention never overwrites an archive. Name a new file (e.g. audit-${new Date().toISOString().slice(0, 10)}.ndjson.gz).`)
  process.exit(2)
}
if (!dryRun) await confirmOrExit({ yes: values.yes, action: `delete audit-log entries older than ${auditDays} day(s)${values.archive ? ` (archived to ${values.archive} first)` : ''} and stale number reservations` })
const connection = await connectOrExit()
const db = connection.db!
const { archiveThenDelete } = await import('../src/ops/retention/archiveThenDelete')
const { auditCollection, auditOlderThan, pruneReservations, reservationsCollection, reservationsOlderThan } = await import('../src/ops/retention/prune')
const { NUMBER_RESERVATION_TTL_SECONDS } = await import('../src/db/indexes')
const audit = auditCollection(db)
const reservations = reservationsCollection(db)

let exitCode = 0
try {
  const auditCutoff = new Date(Date.now() - auditDays * 24 * 60 * 60 * 1000)
  const oldAudit = auditOlderThan(auditCutoff)
  const reservationCutoff = new Date(Date.now() - reservationMinutes * 60 * 1000)
  const staleReservations = reservationsOlderThan(reservationCutoff)
  if (dryRun) {
    console.log(`audit-log: would remove ${await audit.countDocuments(oldAudit)} entr(ies) older than ${auditDays} day(s) (${auditCutoff.toISOString()})`)
    console.log(`number-reservations: would remove ${await reservations.countDocuments(staleReservations)} older than ${reservationMinutes} minute(s)`)
  } else {
    if (values.archive) {
      const { archived, deleted } = await archiveThenDelete({ collection: audit, filter: oldAudit, file: values.archive, label: 'audit-log entries', sort: { createdAt: 1, _id: 1 } })
      console.log(`audit-log: archived ${archived} entr(ies) older than ${auditDays} day(s) (${auditCutoff.toISOString()}) to ${values.archive}, removed ${deleted}`)
    } else {
      const { deletedCount } = await audit.deleteMany(oldAudit)
      console.log(`audit-log: removed ${deletedCount} entr(ies) older than ${auditDays} day(s) (${auditCutoff.toISOString()})`)
    }
    const { removed, leftToTtlIndex } = await pruneReservations(db, reservationCutoff)
    if (leftToTtlIndex !== null) {
      console.log(`number-reservations: ${leftToTtlIndex} older than ${reservationMinutes} minute(s) left to the TTL index (MongoDB deletes each once it is ${NUMBER_RESERVATION_TTL_SECONDS / 60} minutes old)`)
    } else {
      console.log(`number-reservations: removed ${removed} older than ${reservationMinutes} minute(s)`)
    }
  }
} catch (err) {
  console.error(`Retention failed: ${(err as Error).message}`)
  exitCode = 1
}
await connection.close()
process.exit(exitCode)
