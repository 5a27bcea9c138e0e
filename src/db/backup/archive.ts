import type { Db, Document } from 'mongodb'

import mongoose from 'mongoose'
import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { once } from 'node:events'
import { createGunzip, createGzip } from 'node:zlib'

import { ArchiveError } from '../../errors'
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
export type Header = {
  format: string
  version: number
  createdAt: string
  collections: { name: string; indexes: Document[] }[]
  media: boolean
}

/** Collections a restore works in (staging copies, previous collections, its journal: src/db/backup/restore.ts). */
export const RESTORE_PREFIX = '_restore_'

/**
 * Every collection of the database, whatever the config names (other features' internal collections included),
 * but a restore's working collections.
 */
export async function collectionNames(db: Db): Promise<string[]> {
  return (await db.listCollections({}, { nameOnly: true }).toArray())
    .map((collection) => collection.name)
    .filter((name) => !name.startsWith('system.') && !name.startsWith(RESTORE_PREFIX))
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

/** What a whole, valid archive holds: read to its end record and checked before anything is restored. */
export type ArchiveContents = { header: Header; summaries: CollectionSummary[]; documents: number; files: number }

type ArchiveVisitor = {
  /** One document of `collection`, as the canonical EJSON text the checksum covers. */
  document?: (collection: string, text: string) => Promise<void> | void
  /** After a collection's last document. */
  collectionEnd?: (collection: string) => Promise<void> | void
  file?: (relativePath: string, content: Buffer) => Promise<void> | void
}

/**
 * Reads an archive from its header to its end record, checking as it goes that it is whole and unchanged: the
 * format and a version this tool reads, every document parsable and inside the collection the header announced
 * next, each collection's count and SHA-256 equal to its closing record, media paths inside the folder, an end
 * record whose totals match and nothing after it. Any problem is an ArchiveError naming it (and its line);
 * the visitor sees each record as it is read, so a caller that must not act on a bad archive reads it twice:
 * first with no visitor (validateArchive), then to act.
 */
export async function readArchive(file: string, visitor: ArchiveVisitor = {}): Promise<ArchiveContents> {
  const gunzip = createGunzip()
  const lines = createInterface({ input: createReadStream(file).pipe(gunzip), crlfDelay: Infinity })
  let header: Header | undefined
  const summaries: CollectionSummary[] = []
  let position = 0 // index into header.collections of the collection being read
  let hash = createHash('sha256')
  let count = 0
  let documents = 0
  let files = 0
  let ended = false
  let lineNumber = 0
  const fail = (problem: string): never => {
    throw new ArchiveError(`${file}, line ${lineNumber}: ${problem}`)
  }
  // A damaged or cut gzip stream errors inside the loop; the file is then damaged, whatever the line said.
  try {
    for await (const line of lines) {
      lineNumber += 1
      if (!line) continue
      if (ended) fail('data after the end record')
      if (!header) {
        header = parseHeader(line, fail)
        continue
      }
      const expected = header.collections[position]?.name
      if (line.startsWith('{"c":') && line.includes(',"d":')) {
        const start = line.indexOf(',"d":')
        const name = parseJson(line.slice(5, start), fail)
        if (name !== expected) fail(`a document of ${JSON.stringify(name)} where ${expected ? `${JSON.stringify(expected)}'s` : 'no'} documents belong`)
        const text = line.slice(start + 5, -1)
        try {
          EJSON.parse(text, { relaxed: false })
        } catch (err) {
          fail(`a document of ${expected} is not valid Extended JSON (${(err as Error).message})`)
        }
        hash.update(text)
        count += 1
        await visitor.document?.(expected!, text)
        continue
      }
      const record = parseJson(line, fail) as Record<string, unknown>
      if (typeof record.sha256 === 'string') {
        if (record.c !== expected) fail(`the closing record of ${JSON.stringify(record.c)} where ${JSON.stringify(expected)} belongs`)
        const sha256 = hash.digest('hex')
        if (record.count !== count) fail(`${expected} holds ${count} document(s), its closing record says ${String(record.count)}`)
        if (record.sha256 !== sha256) fail(`${expected}'s documents do not match their checksum (the archive was changed or damaged)`)
        summaries.push({ name: expected!, count, sha256 })
        await visitor.collectionEnd?.(expected!)
        documents += count
        position += 1
        hash = createHash('sha256')
        count = 0
      } else if (typeof record.f === 'string' && typeof record.b === 'string') {
        if (expected) fail(`a media file before ${expected} was closed`)
        if (!header.media) fail('a media file in an archive whose header says it has none')
        const relative = path.normalize(record.f)
        if (path.isAbsolute(relative) || relative.startsWith('..')) fail(`media path escapes the folder: ${record.f}`)
        files += 1
        await visitor.file?.(relative, Buffer.from(record.b, 'base64'))
      } else if (record.end === true) {
        if (expected) fail(`the end record before ${expected} was closed`)
        if (record.collections !== summaries.length || record.documents !== documents) {
          fail(`the end record counts ${String(record.collections)} collection(s) and ${String(record.documents)} document(s); the archive holds ${summaries.length} and ${documents}`)
        }
        ended = true
      } else {
        fail('an unknown record')
      }
    }
  } catch (err) {
    if (err instanceof ArchiveError) throw err
    throw new ArchiveError(`${file} is damaged: ${(err as Error).message} (after line ${lineNumber})`)
  }
  if (!header) throw new ArchiveError(`${file} is empty`)
  if (!ended) throw new ArchiveError(`${file} is truncated: no end record after line ${lineNumber}`)
  return { header, summaries, documents, files }
}

/** Reads the whole archive and checks it (readArchive) without acting on it. */
export const validateArchive = (file: string) => readArchive(file)

function parseJson(text: string, fail: (problem: string) => never): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return fail('not a JSON record')
  }
}

function parseHeader(line: string, fail: (problem: string) => never): Header {
  const header = parseJson(line, fail) as Partial<Header> | null
  if (header?.format !== ARCHIVE_FORMAT) fail(`not a ${ARCHIVE_FORMAT} archive`)
  const version = header!.version
  if (!Number.isInteger(version) || version! < 1 || version! > ARCHIVE_VERSION) {
    fail(`archive version ${JSON.stringify(version)}: this tool reads version ${ARCHIVE_VERSION}${Number(version) > ARCHIVE_VERSION ? ' (the archive is newer; restore it with the release that wrote it)' : ''}`)
  }
  const collections = header!.collections
  if (!Array.isArray(collections) || collections.some((c) => typeof c?.name !== 'string' || !Array.isArray(c.indexes))) {
    fail('the header does not list the collections with their indexes')
  }
  return header as Header
}

export const parseDocument = (text: string) => EJSON.parse(text, { relaxed: false }) as Document

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
