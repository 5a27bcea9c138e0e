/**
 * `npm run backup -- [--out FILE] [--media]`: every collection streamed into a compressed, versioned EJSON archive
 * (src/db/backup/archive.ts). Exit codes: 0 written, 1 failed, 2 bad arguments or database unreachable.
 */
import path from 'node:path'

import { writeBackup } from '../src/db/backup/archive'
import { connectOrExit, parseOrExit } from './lib/connect'

const usage = `Usage: npm run backup -- [--out FILE] [--media] [--media-dir DIR]

  --out FILE       archive to write (default backups/<database>-<UTC time>.ndjson.gz)
  --media          also store the uploaded media files (local storage folder, default ./media)
  --media-dir DIR  the media folder (default ./media)

Every collection of DATABASE_URL's database is written in _id order with its indexes, a count and a SHA-256
checksum each; \`npm run restore -- FILE --verify\` proves a restore against them.
Exit codes: 0 written, 1 failed, 2 bad arguments or database unreachable.`

const { values } = await parseOrExit(
  { options: { out: { type: 'string' }, media: { type: 'boolean' }, 'media-dir': { type: 'string' } } },
  usage,
)
const connection = await connectOrExit()
const database = connection.db!.databaseName
const file = values.out ?? path.join('backups', `${database}-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson.gz`)
try {
  const mediaDir = values.media ? path.resolve(values['media-dir'] ?? 'media') : undefined
  const summaries = await writeBackup({ db: connection.db!, file, mediaDir })
  for (const summary of summaries) console.log(`${summary.name.padEnd(32)} ${String(summary.count).padStart(8)}  ${summary.sha256.slice(0, 16)}`)
  console.log(`\nBacked up ${summaries.length} collection(s), ${summaries.reduce((sum, s) => sum + s.count, 0)} document(s) to ${file}`)
  await connection.close()
  process.exit(0)
} catch (err) {
  console.error(`Backup failed: ${(err as Error).message}`)
  await connection.close()
  process.exit(1)
}
