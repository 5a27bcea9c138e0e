/**
 * `npm run backup -- [--out FILE] [--media]`: every collection streamed into a compressed, versioned EJSON archive
 * (src/db/backup/archive.ts). Exit codes: 0 written, 1 failed, 2 bad arguments or database unreachable.
 */
import { existsSync } from 'node:fs'
import { link, rm } from 'node:fs/promises'
import path from 'node:path'

import { writeBackup } from '../src/db/backup/archive'
import { connectOrExit, parseOrExit } from './lib/connect'

const usage = `Usage: npm run backup -- [--out FILE] [--media] [--media-dir DIR]

  --out FILE       archive to write, a new file (default backups/<database>-<UTC time>.ndjson.gz); an existing
                   file is refused, never overwritten
  --media          also store the uploaded media files (local storage folder, default ./media)
  --media-dir DIR  the media folder (default ./media)

Every collection of DATABASE_URL's database is written in _id order with its indexes, a count and a SHA-256
checksum each; \`npm run restore -- FILE --verify\` proves a restore against them.
Exit codes: 0 written, 1 failed, 2 bad arguments or database unreachable.`

const { values } = await parseOrExit(
  { options: { out: { type: 'string' }, media: { type: 'boolean' }, 'media-dir': { type: 'string' } } },
  usage,
)
const refuseExisting = (file: string) => {
  if (!existsSync(file)) return
  console.error(`${path.resolve(file)} exists: backup never overwrites an archive. Name a new file.`)
  process.exit(2)
}
if (values.out) refuseExisting(values.out)
const connection = await connectOrExit()
const database = connection.db!.databaseName
const file = values.out ?? path.join('backups', `${database}-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson.gz`)
refuseExisting(file)
// Written under FILE.partial and given its name only once whole: an interrupted backup never leaves a cut archive
// under the name, and link() refuses a name taken meanwhile instead of replacing it.
const partial = `${file}.partial`
try {
  const mediaDir = values.media ? path.resolve(values['media-dir'] ?? 'media') : undefined
  const summaries = await writeBackup({ db: connection.db!, file: partial, mediaDir })
  await link(partial, file)
  await rm(partial)
  for (const summary of summaries) console.log(`${summary.name.padEnd(32)} ${String(summary.count).padStart(8)}  ${summary.sha256.slice(0, 16)}`)
  console.log(`\nBacked up ${summaries.length} collection(s), ${summaries.reduce((sum, s) => sum + s.count, 0)} document(s) to ${file}`)
  await connection.close()
  process.exit(0)
} catch (err) {
  await rm(partial, { force: true })
  console.error(`Backup failed: ${(err as Error).message}`)
  await connection.close()
  process.exit(1)
}
