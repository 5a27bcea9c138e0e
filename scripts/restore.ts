/**
 * `npm run restore -- FILE [--drop] [--verify] [--media]`: restores an archive written by `npm run backup`.
 * Exit codes: 0 restored (and verified), 1 failed or verification found a difference, 2 bad arguments or no database.
 */
import path from 'node:path'

import { restoreBackup, verifyAgainst } from '../src/db/backup/archive'
import { connectOrExit, parseOrExit } from './lib/connect'

const usage = `Usage: npm run restore -- FILE [--drop] [--verify] [--media] [--media-dir DIR]

  --drop           empty collections that already hold documents (otherwise the restore refuses them)
  --verify         afterwards, compare every collection's count and SHA-256 checksum with the archive's
  --media          write the archive's media files into the media folder (default ./media)

Restores into DATABASE_URL's database.
Exit codes: 0 restored (and verified), 1 failed or a difference found, 2 bad arguments or database unreachable.`

const { values, positionals } = await parseOrExit(
  {
    allowPositionals: true,
    options: { drop: { type: 'boolean' }, verify: { type: 'boolean' }, media: { type: 'boolean' }, 'media-dir': { type: 'string' } },
  },
  usage,
)
if (positionals.length !== 1) {
  console.error(usage)
  process.exit(2)
}
const connection = await connectOrExit()
let exitCode = 0
try {
  const { summaries, files } = await restoreBackup({
    db: connection.db!,
    file: positionals[0],
    drop: values.drop,
    mediaDir: values.media ? path.resolve(values['media-dir'] ?? 'media') : undefined,
  })
  console.log(`Restored ${summaries.length} collection(s), ${summaries.reduce((sum, s) => sum + s.count, 0)} document(s)${files ? `, ${files} media file(s)` : ''}`)
  if (values.verify) {
    const results = await verifyAgainst(connection.db!, summaries)
    for (const result of results) {
      console.log(`${result.matches ? 'ok       ' : 'DIFFERENT'} ${result.name.padEnd(32)} ${result.actualCount}/${result.count}`)
    }
    const different = results.filter((result) => !result.matches)
    if (different.length > 0) {
      console.error(`\nVerification failed: ${different.length} collection(s) differ from the archive.`)
      exitCode = 1
    } else {
      console.log('\nVerified: every collection matches the archive (counts and checksums).')
    }
  }
} catch (err) {
  console.error(`Restore failed: ${(err as Error).message}`)
  exitCode = 1
}
await connection.close()
process.exit(exitCode)
