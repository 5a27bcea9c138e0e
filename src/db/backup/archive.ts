import type { Db, Document } from 'mongodb'

import mongoose from 'mongoose'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { once } from 'node:events'
import { createGunzip, createGzip } from 'node:zlib'

import { startProgressBar } from '../../lib/progressBar'

const { EJSON } = mongoose.mongo.BSON

/**
 * The backup archive: gzip-compressed lines of canonical Extended JSON (ObjectIds, dates, binary and decimals keep
 * their types), versioned by its first line. Layout, one JSON object per line:
 *   {"format":"movie-platform-backup","version":1,"createdAt":…,"collections":[{name,indexes}],"media":bool}
 *   {"c":"<collection>","d":<document>}            every document, in _id order, collection by collection
 *   {"c":"<collection>","count":n,"sha256":"…"}   after each collection: its count and checksum
 *   {"f":"<relative path>","b":"<base64>"}        media files, when asked for
 *   {"end":true,"collections":n,"documents":n}
 * The checksum is a SHA-256 over the canonical EJSON of the documents in _id order, so restore --verify can recompute
 * it from the database and prove every document came back unchanged.
 */
export const ARCHIVE_FORMAT = 'movie-platform-backup'
export const ARCHIVE_VERSION = 1

export type CollectionSummary = { name: string; count: number; sha256: string }
type Header = {
  format: string
  version: number
  createdAt: string
  collections: { name: string; indexes: Document[] }[]
  media: boolean
}

/** Every collection of the database, whatever the config names (other features' internal collections included). */
export async function collectionNames(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter((name) => !name.startsWith('system.'))
    .sort()
}

const canonical = (doc: Document) => EJSON.stringify(doc, { relaxed: false })

async function writeLine(stream: NodeJS.WritableStream, value: unknown) {
  if (!stream.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`)) await once(stream, 'drain')
}

/** The checksum of one collection as stored now (the same walk the backup makes). */
export async function collectionChecksum(db: Db, name: string): Promise<CollectionSummary> {
  const hash = createHash('sha256')
  let count = 0
  for await (const doc of db.collection(name).find({}, { sort: { _id: 1 } })) {
    hash.update(canonical(doc))
    count += 1
  }
  return { name, count, sha256: hash.digest('hex') }
}

export async function writeBackup({ db, file, mediaDir }: { db: Db; file: string; mediaDir?: string }): Promise<CollectionSummary[]> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true })
  const gzip = createGzip()
  const out = createWriteStream(file)
  gzip.pipe(out)
  const names = await collectionNames(db)
  const header: Header = {
    format: ARCHIVE_FORMAT,
    version: ARCHIVE_VERSION,
    createdAt: new Date().toISOString(),
    collections: await Promise.all(names.map(async (name) => ({ name, indexes: await db.collection(name).listIndexes().toArray() }))),
    media: Boolean(mediaDir),
  }
  await writeLine(gzip, header)
  const summaries: CollectionSummary[] = []
  for (const name of names) {
    const total = await db.collection(name).estimatedDocumentCount()
    const progress = startProgressBar({ label: `backup ${name}`, total })
    const hash = createHash('sha256')
    let count = 0
    for await (const doc of db.collection(name).find({}, { sort: { _id: 1 } })) {
      const text = canonical(doc)
      hash.update(text)
      await writeLine(gzip, `{"c":${JSON.stringify(name)},"d":${text}}`)
      count += 1
      progress.advance()
    }
    progress.stop()
    const summary = { name, count, sha256: hash.digest('hex') }
    summaries.push(summary)
    await writeLine(gzip, { c: name, count, sha256: summary.sha256 })
  }
  if (mediaDir) {
    for (const relative of await listFiles(mediaDir)) {
      await writeLine(gzip, { f: relative, b: (await readFile(path.join(mediaDir, relative))).toString('base64') })
    }
  }
  await writeLine(gzip, { end: true, collections: summaries.length, documents: summaries.reduce((sum, s) => sum + s.count, 0) })
  gzip.end()
  await once(out, 'close')
  return summaries
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const found: string[] = []
  let entries
  try {
    entries = await readdir(path.join(dir, prefix), { withFileTypes: true })
  } catch {
    return found // no media folder yet: nothing uploaded
  }
  for (const entry of entries) {
    const relative = path.join(prefix, entry.name)
    if (entry.isDirectory()) found.push(...(await listFiles(dir, relative)))
    else if (entry.isFile()) found.push(relative)
  }
  return found.sort()
}

export class ArchiveError extends Error {}

/**
 * Restores an archive into `db`. Refuses a collection that already holds documents unless `drop` (then it is
 * emptied first), so a restore never mixes two states. Recreates the archived indexes, writes media files when the
 * archive has them and `mediaDir` is given. Returns the archive's per-collection summaries (for verify).
 */
export async function restoreBackup({
  db,
  file,
  drop = false,
  mediaDir,
}: {
  db: Db
  file: string
  drop?: boolean
  mediaDir?: string
}): Promise<{ summaries: CollectionSummary[]; files: number }> {
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity })
  let header: Header | undefined
  const summaries: CollectionSummary[] = []
  let batch: Document[] = []
  let current = ''
  let files = 0
  let ended = false
  const flush = async () => {
    if (batch.length > 0) await db.collection(current).insertMany(batch, { ordered: true })
    batch = []
  }
  for await (const line of lines) {
    if (!line) continue
    if (!header) {
      header = JSON.parse(line) as Header
      if (header.format !== ARCHIVE_FORMAT) throw new ArchiveError(`${file} is not a ${ARCHIVE_FORMAT} archive`)
      if (header.version > ARCHIVE_VERSION) throw new ArchiveError(`archive version ${header.version} is newer than this tool (${ARCHIVE_VERSION})`)
      await prepareCollections({ db, header, drop })
      continue
    }
    if (line.startsWith('{"c":') && line.includes(',"d":')) {
      const start = line.indexOf(',"d":')
      const name = JSON.parse(line.slice(5, start)) as string
      if (name !== current) {
        await flush()
        current = name
      }
      batch.push(EJSON.parse(line.slice(start + 5, -1), { relaxed: false }) as Document)
      if (batch.length >= 500) await flush()
      continue
    }
    await flush()
    const record = JSON.parse(line)
    if (typeof record.sha256 === 'string') summaries.push({ name: record.c, count: record.count, sha256: record.sha256 })
    else if (typeof record.f === 'string') {
      if (mediaDir) {
        const target = path.resolve(mediaDir, record.f)
        if (!target.startsWith(path.resolve(mediaDir) + path.sep)) throw new ArchiveError(`media path escapes the folder: ${record.f}`)
        await mkdir(path.dirname(target), { recursive: true })
        await writeFile(target, Buffer.from(record.b, 'base64'))
        files += 1
      }
    } else if (record.end) ended = true
  }
  await flush()
  if (!header) throw new ArchiveError(`${file} is empty`)
  if (!ended) throw new ArchiveError(`${file} is truncated (no end record): restore incomplete`)
  return { summaries, files }
}

async function prepareCollections({ db, header, drop }: { db: Db; header: Header; drop: boolean }) {
  const existing = new Set(await collectionNames(db))
  for (const { name, indexes } of header.collections) {
    if (existing.has(name)) {
      const count = await db.collection(name).estimatedDocumentCount()
      if (count > 0 && !drop) throw new ArchiveError(`collection ${name} already holds ${count} document(s); pass --drop to replace it`)
      if (count > 0) await db.collection(name).deleteMany({})
    } else {
      await db.createCollection(name)
    }
    for (const index of indexes) {
      if (index.name === '_id_') continue
      const { key, name: indexName, unique, sparse, expireAfterSeconds } = index
      // a TTL index (MongoDB: number-reservations) keeps its expiry
      const ttl = typeof expireAfterSeconds === 'number' ? { expireAfterSeconds } : {}
      await db.collection(name).createIndex(key, { name: indexName, ...(unique ? { unique } : {}), ...(sparse ? { sparse } : {}), ...ttl })
    }
  }
}

/** Compares the database with the archive's counts and checksums; returns the collections that differ. */
export async function verifyAgainst(db: Db, summaries: CollectionSummary[]) {
  const results = []
  for (const expected of summaries) {
    const actual = await collectionChecksum(db, expected.name)
    results.push({ ...expected, actualCount: actual.count, matches: actual.count === expected.count && actual.sha256 === expected.sha256 })
  }
  return results
}

export async function fileSize(file: string) {
  return (await stat(file)).size
}
