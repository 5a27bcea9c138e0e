import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import mongoose from 'mongoose'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { s3ClientConfig, type S3Settings } from '../../lib/env'

import { validateArchive, writeBackup } from '../../db/backup/archive'

export type S3BackupResult = { bucket: string; key: string; bytes: number; collections: number; documents: number }

async function md5Base64(file: string): Promise<string> {
  const hash = createHash('md5')
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer)
  return hash.digest('base64')
}

/**
 * The scheduled backup: the EJSON archive of every collection (src/db/backup/archive.ts, the same as
 * `npm run backup`) written to a temporary file, read back whole (every count and checksum) before it leaves the
 * machine, uploaded under `<prefix><database>-<time>.ndjson.gz` with its MD5 (the store refuses a body that does not
 * match it), and its stored size checked. Throws on any step: a failed backup is never recorded as a success.
 */
export async function backupToS3({ db, s3, prefix, now = new Date() }: { db: mongoose.mongo.Db; s3: S3Settings; prefix: string; now?: Date }): Promise<S3BackupResult> {
  const folder = await mkdtemp(path.join(tmpdir(), 'backup-'))
  const name = `${db.databaseName}-${now.toISOString().replace(/[:.]/g, '-')}.ndjson.gz`
  const file = path.join(folder, name)
  const client = new S3Client(s3ClientConfig(s3))
  try {
    await writeBackup({ db, file })
    const contents = await validateArchive(file)
    const bytes = (await stat(file)).size
    const key = `${prefix}${name}`
    await client.send(
      new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: createReadStream(file), ContentLength: bytes, ContentMD5: await md5Base64(file), ContentType: 'application/gzip' }),
    )
    const stored = await client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))
    if (stored.ContentLength !== bytes) throw new Error(`the stored backup ${key} has ${stored.ContentLength} bytes, not the ${bytes} written`)
    return { bucket: s3.bucket, key, bytes, collections: contents.summaries.length, documents: contents.documents }
  } finally {
    client.destroy()
    await rm(folder, { recursive: true, force: true })
  }
}
