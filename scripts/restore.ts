/**
 * `npm run restore -- FILE [--drop --yes] [--verify] [--media]`: restores an archive written by `npm run backup`,
 * checked whole before the database is touched and swapped in only once loaded and verified
 * (src/db/backup/restore.ts). Exit codes: 0 restored (and verified), 1 failed or a difference found, 2 bad
 * arguments, a missing file, no confirmation or database unreachable.
 */
import { existsSync, statSync } from 'node:fs'
import path from 'node:path'

import { verifyAgainst } from '../src/db/backup/archive'
import { restoreBackup, resumeRestore, rollbackRestore } from '../src/db/backup/restore'
import { confirmOrExit, connectOrExit, parseOrExit, usageError } from './lib/connect'

const usage = `Usage: npm run restore -- FILE [--drop] [--yes] [--verify] [--media] [--media-dir DIR]
       npm run restore -- --resume | --rollback [--yes]

  FILE             an archive written by \`npm run backup\`
  --drop           replace collections that already hold documents (otherwise the restore refuses them)
  --yes            do not ask for confirmation (--drop, --resume and --rollback ask on a terminal; without one
                   they need --yes)
  --verify         afterwards, compare every collection's count and SHA-256 checksum with the archive's
  --media          write the archive's media files into the media folder
  --media-dir DIR  the media folder (default ./media)
  --resume         finish a restore that was interrupted while swapping its verified collections in
  --rollback       undo such a restore: the previous collections back in place

The whole archive is read and checked (format, version, every collection's count and checksum, the end record)
before the database is touched; a truncated, damaged or newer-version archive changes nothing. Collections are
loaded into staging copies, verified, and only then swapped in; the previous ones are kept until every swap is done.
Restores into DATABASE_URL's database (the environment, then .env).
Exit codes: 0 restored (and verified), 1 failed or a difference found, 2 bad arguments, missing file, not confirmed
or database unreachable.`

const { values, positionals } = await parseOrExit(
  {
    allowPositionals: true,
    options: {
      drop: { type: 'boolean' },
      yes: { type: 'boolean', short: 'y' },
      verify: { type: 'boolean' },
      media: { type: 'boolean' },
      'media-dir': { type: 'string' },
      resume: { type: 'boolean' },
      rollback: { type: 'boolean' },
    },
  },
  usage,
)
const recovery = values.resume ? 'resume' : values.rollback ? 'rollback' : undefined
if (values.resume && values.rollback) usageError('--resume and --rollback exclude each other.', usage)
if (recovery && positionals.length > 0) usageError(`--${recovery} takes no FILE.`, usage)
if (!recovery && positionals.length !== 1) usageError(positionals.length === 0 ? 'Name the archive to restore.' : 'Name one archive.', usage)
const file = positionals[0]
if (file && (!existsSync(file) || !statSync(file).isFile())) {
  console.error(`No archive at ${path.resolve(file)}.`)
  process.exit(2)
}
if (values.drop || recovery) {
  await confirmOrExit({ yes: values.yes, action: recovery ? `${recovery} the interrupted restore` : `replace the archived collections with ${file}` })
}

const connection = await connectOrExit()
const db = connection.db!
let exitCode = 0
try {
  if (recovery) {
    const journal = recovery === 'resume' ? await resumeRestore(db) : await rollbackRestore(db)
    console.log(journal ? `${recovery === 'resume' ? 'Finished' : 'Rolled back'} the restore of ${journal.archive} started ${journal.startedAt.toISOString()}.` : 'No interrupted restore: nothing to do.')
  } else {
    const result = await restoreBackup({
      db,
      file,
      drop: values.drop,
      mediaDir: values.media ? path.resolve(values['media-dir'] ?? 'media') : undefined,
    })
    if (result.clearedStaging) console.log('Dropped the staging copies an earlier, interrupted restore left (the live data was untouched).')
    console.log(`Restored ${result.summaries.length} collection(s), ${result.documents} document(s)${values.media && result.files ? `, ${result.files} media file(s)` : ''}`)
    if (values.verify) {
      const results = await verifyAgainst(db, result.summaries)
      for (const row of results) console.log(`${row.matches ? 'ok       ' : 'DIFFERENT'} ${row.name.padEnd(32)} ${row.actualCount}/${row.count}`)
      const different = results.filter((row) => !row.matches)
      if (different.length > 0) {
        console.error(`\nVerification failed: ${different.length} collection(s) differ from the archive.`)
        exitCode = 1
      } else {
        console.log('\nVerified: every collection matches the archive (counts and checksums).')
      }
    }
  }
} catch (err) {
  console.error(`Restore failed: ${(err as Error).message}`)
  exitCode = 1
}
await connection.close()
process.exit(exitCode)
