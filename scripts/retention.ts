/**
 * `npm run retention`: drops audit-log entries older than the retention age (archiving them first when asked) and
 * the number reservations no create needs any more. Exit codes: 0 done, 1 failed, 2 bad arguments or no database.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { createGzip } from 'node:zlib'
import mongoose from 'mongoose'

import { startProgressBar } from '../src/lib/progressBar'
import { connectOrExit, parseOrExit } from './lib/connect'

const usage = `Usage: npm run retention -- [--audit-days N] [--archive FILE] [--reservation-minutes M] [--dry-run]

  --audit-days N           keep audit-log entries younger than N days (default AUDIT_RETENTION_DAYS or 365)
  --archive FILE           write the entries it removes to FILE (gzip, one EJSON document a line) first
  --reservation-minutes M  remove number reservations older than M minutes (default 60; a create holds one
                           for at most 30 s, after which its child's unique index guards the number)
  --dry-run                count what would be removed; change nothing

Exit codes: 0 done, 1 failed, 2 bad arguments or database unreachable.`

const { values } = await parseOrExit(
  {
    options: {
      'audit-days': { type: 'string' },
      archive: { type: 'string' },
      'reservation-minutes': { type: 'string' },
      'dry-run': { type: 'boolean' },
    },
  },
  usage,
)
const auditDays = Number(values['audit-days'] ?? process.env.AUDIT_RETENTION_DAYS ?? 365)
const reservationMinutes = Number(values['reservation-minutes'] ?? 60)
if (!Number.isFinite(auditDays) || auditDays < 1 || !Number.isFinite(reservationMinutes) || reservationMinutes < 1) {
  console.error(`--audit-days and --reservation-minutes take a positive number.\n\n${usage}`)
  process.exit(2)
}
const dryRun = Boolean(values['dry-run'])
const connection = await connectOrExit()
const db = connection.db!
const { slugs } = await import('../src/model/slugs')
const { engineOfDb } = await import('../src/db/engine')
const { NUMBER_RESERVATION_TTL_SECONDS } = await import('../src/db/indexes')
const audit = db.collection(mongoose.pluralize()!(slugs.auditLog))
const reservations = db.collection('number-reservations')

let exitCode = 0
try {
  const auditCutoff = new Date(Date.now() - auditDays * 24 * 60 * 60 * 1000)
  const oldAudit = { createdAt: { $lt: auditCutoff } }
  const auditCount = await audit.countDocuments(oldAudit)
  const reservationCutoff = new Date(Date.now() - reservationMinutes * 60 * 1000)
  const staleReservations = { reservedAt: { $lt: reservationCutoff } }
  const reservationCount = await reservations.countDocuments(staleReservations)
  // On MongoDB the reservations' TTL index removes them (src/db/indexes.ts, rawIndexes); FerretDB v1 has no TTL
  // indexes, so there this sweep does it, through the plain index on reservedAt.
  const isSweptByTtl = (await engineOfDb(db)).kind === 'mongodb'
  const verb = dryRun ? 'would remove' : 'removed'
  if (!dryRun && auditCount > 0) {
    if (values.archive) {
      const gzip = createGzip()
      const out = createWriteStream(values.archive)
      gzip.pipe(out)
      const progress = startProgressBar({ label: 'archive audit-log entries', total: auditCount })
      // oldest first, through the (createdAt desc, _id desc) index read backwards: no in-memory sort
      for await (const entry of audit.find(oldAudit, { sort: { createdAt: 1, _id: 1 } })) {
        if (!gzip.write(`${mongoose.mongo.BSON.EJSON.stringify(entry, { relaxed: false })}\n`)) await once(gzip, 'drain')
        progress.advance()
      }
      progress.stop()
      gzip.end()
      await once(out, 'close')
    }
    await audit.deleteMany(oldAudit)
  }
  if (!dryRun && reservationCount > 0 && !isSweptByTtl) await reservations.deleteMany(staleReservations)
  console.log(`audit-log: ${verb} ${auditCount} entr(ies) older than ${auditDays} day(s) (${auditCutoff.toISOString()})${values.archive && !dryRun && auditCount > 0 ? `, archived to ${values.archive}` : ''}`)
  console.log(
    isSweptByTtl
      ? `number-reservations: ${reservationCount} older than ${reservationMinutes} minute(s) left to the TTL index (MongoDB deletes each once it is ${NUMBER_RESERVATION_TTL_SECONDS / 60} minutes old)`
      : `number-reservations: ${verb} ${reservationCount} older than ${reservationMinutes} minute(s)`,
  )
} catch (err) {
  console.error(`Retention failed: ${(err as Error).message}`)
  exitCode = 1
}
await connection.close()
process.exit(exitCode)
