import type { Db, Document } from 'mongodb'

import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'

import { ArchiveError } from '../../errors'
import { startProgressBar } from '../../lib/progressBar'
import { isDuplicateKeyError } from '../duplicateKey'
import {
  type ArchiveContents,
  collectionChecksum,
  collectionNames,
  parseDocument,
  readArchive,
  RESTORE_PREFIX,
  validateArchive,
} from './archive'

/**
 * Restore that cannot leave the database worse than it found it:
 *   1. the whole archive is read and checked (readArchive: structure, versions, counts, checksums) — a truncated,
 *      damaged or foreign archive is refused before the database is touched;
 *   2. a journal document records the restore (its unique _id also keeps two restores from running at once);
 *   3. every archived collection is loaded into a staging collection `_restore_new_<name>` with the archive's
 *      indexes, and each staging collection's count and checksum are recomputed and compared with the archive;
 *   4. only then each live collection is renamed to `_restore_old_<name>` and its staging copy renamed into place
 *      (FerretDB v1 has no renameCollection dropTarget, so the swap is two renames on both engines), and the
 *      previous collections are dropped once every swap is done.
 * An error in 1–3 leaves the live collections untouched (staging is dropped); an error in 4 renames the previous
 * collections back. A process killed in 3 leaves a journal in phase "staging", cleared by the next restore; killed
 * in 4, a journal in phase "swapping": the next restore refuses until the operator runs `--resume` (finish the
 * swap to the verified copy) or `--rollback` (put the previous collections back). Nothing is ever dropped
 * before its replacement is verified.
 */
export const RESTORE_JOURNAL = `${RESTORE_PREFIX}journal`
const stagingName = (name: string) => `${RESTORE_PREFIX}new_${name}`
const previousName = (name: string) => `${RESTORE_PREFIX}old_${name}`

export type RestoreJournal = {
  _id: 'restore'
  archive: string
  startedAt: Date
  phase: 'staging' | 'swapping'
  collections: string[]
  /** Archived collections the database did not have: a rollback drops them. */
  absentBefore: string[]
}

export class InterruptedRestoreError extends ArchiveError {}

export type RestoreResult = ArchiveContents & { clearedStaging: boolean }

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
}): Promise<RestoreResult> {
  const journals = db.collection<RestoreJournal>(RESTORE_JOURNAL)
  const leftover = await journals.findOne({ _id: 'restore' })
  if (leftover?.phase === 'swapping') {
    throw new InterruptedRestoreError(
      `a restore of ${leftover.archive} started ${leftover.startedAt.toISOString()} was interrupted while swapping collections in. ` +
        'Run `npm run restore -- --resume` to finish it (its data was verified) or `npm run restore -- --rollback` to put the previous collections back.',
    )
  }

  const contents = await validateArchive(file)
  const names = contents.header.collections.map((collection) => collection.name)
  const existing = new Set(await collectionNames(db))
  for (const name of names) {
    if (!existing.has(name)) continue
    const count = await db.collection(name).estimatedDocumentCount()
    if (count > 0 && !drop) throw new ArchiveError(`collection ${name} already holds ${count} document(s); pass --drop to replace it`)
  }

  // A restore killed while staging left the live collections untouched: its staging copies are just dropped.
  const clearedStaging = Boolean(leftover)
  if (leftover) await dropStaging(db, leftover.collections)
  await journals.deleteMany({ _id: 'restore', phase: 'staging' })
  const journal: RestoreJournal = {
    _id: 'restore',
    archive: path.resolve(file),
    startedAt: new Date(),
    phase: 'staging',
    collections: names,
    absentBefore: names.filter((name) => !existing.has(name)),
  }
  try {
    await journals.insertOne(journal)
  } catch (err) {
    if (isDuplicateKeyError(err)) throw new ArchiveError('another restore is running on this database')
    throw err
  }

  try {
    await loadStaging(db, file, contents)
    const different = []
    for (const expected of contents.summaries) {
      const actual = await collectionChecksum(db, stagingName(expected.name))
      if (actual.count !== expected.count || actual.sha256 !== expected.sha256) different.push(`${expected.name} (${actual.count}/${expected.count})`)
    }
    if (different.length > 0) throw new ArchiveError(`the loaded copy differs from the archive in ${different.join(', ')}; nothing was replaced`)
  } catch (err) {
    await dropStaging(db, names)
    await dropJournal(db)
    throw err
  }

  await journals.updateOne({ _id: 'restore' }, { $set: { phase: 'swapping' } })
  try {
    await finishSwap(db, journal)
  } catch (err) {
    await rollbackRestore(db)
    throw new ArchiveError(`swapping the restored collections in failed (${(err as Error).message}); the previous collections were put back`)
  }
  if (mediaDir) await writeMediaFiles(file, mediaDir)
  return { ...contents, clearedStaging }
}

/** Loads every archived collection into its staging collection, indexes first. */
async function loadStaging(db: Db, file: string, { header, summaries }: ArchiveContents) {
  const totals = new Map(summaries.map((summary) => [summary.name, summary.count]))
  await dropStaging(db, header.collections.map((collection) => collection.name))
  for (const { name, indexes } of header.collections) {
    await db.createCollection(stagingName(name))
    for (const index of indexes) {
      if (index.name === '_id_') continue
      await db.collection(stagingName(name)).createIndex(index.key, indexOptions(index))
    }
  }
  let batch: Document[] = []
  let progress = startProgressBar({ label: 'restore', total: 0 })
  const flush = async (name: string) => {
    if (batch.length > 0) await db.collection(stagingName(name)).insertMany(batch, { ordered: true })
    progress.advance(batch.length)
    batch = []
  }
  let current = ''
  await readArchive(file, {
    document: async (name, text) => {
      if (name !== current) {
        current = name
        progress = startProgressBar({ label: `restore ${name}`, total: totals.get(name) ?? 0 })
      }
      batch.push(parseDocument(text))
      if (batch.length >= 500) await flush(name)
    },
    collectionEnd: async (name) => {
      await flush(name)
      progress.stop()
      crashHere('staging')
    },
  })
}

function indexOptions(index: Document): Document {
  const options: Document = { name: index.name }
  for (const key of ['unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'weights', 'default_language', 'language_override']) {
    if (index[key] !== undefined && index[key] !== false) options[key] = index[key]
  }
  return options
}

/**
 * Fault-injection seam for the tests of an interrupted restore: RESTORE_CRASH_AT=staging kills the process after the
 * first staging collection is loaded, =swap halfway through the first swap (a live collection renamed aside, its
 * copy not yet in place) — the states a power cut or `kill -9` leaves. Never set outside tests.
 */
function crashHere(point: 'staging' | 'swap') {
  if (process.env.RESTORE_CRASH_AT === point) process.kill(process.pid, 'SIGKILL')
}

/** The journal holds one document at most: done, its collection goes too, so the database is as before. */
async function dropJournal(db: Db) {
  await db.collection(RESTORE_JOURNAL).drop().catch(() => {})
}

async function dropStaging(db: Db, names: string[]) {
  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name))
  for (const name of names) if (present.has(stagingName(name))) await db.collection(stagingName(name)).drop()
}

/**
 * Moves each verified staging collection into place, keeping the previous one aside until all are in, then drops
 * the previous ones and the journal. Safe to run again after an interruption: each step checks what is done.
 */
export async function finishSwap(db: Db, journal: Pick<RestoreJournal, 'collections'>) {
  const present = async () => new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name))
  let names = await present()
  for (const name of journal.collections) {
    if (!names.has(stagingName(name))) continue // already swapped in
    if (names.has(name)) await db.renameCollection(name, previousName(name))
    crashHere('swap')
    await db.renameCollection(stagingName(name), name)
  }
  names = await present()
  for (const name of journal.collections) if (names.has(previousName(name))) await db.collection(previousName(name)).drop()
  await dropJournal(db)
}

/** `--resume`: finishes an interrupted swap (the staging copies were verified before it began). */
export async function resumeRestore(db: Db): Promise<RestoreJournal | null> {
  const journal = await db.collection<RestoreJournal>(RESTORE_JOURNAL).findOne({ _id: 'restore' })
  if (!journal) return null
  if (journal.phase === 'staging') {
    // Killed before anything live changed: nothing to finish, the staging copies are incomplete.
    await rollbackRestore(db)
    throw new ArchiveError(`the interrupted restore of ${journal.archive} had not verified its data yet; its staging copies were dropped and the database is as it was. Run the restore again.`)
  }
  await finishSwap(db, journal)
  return journal
}

/** `--rollback` (and a failed swap): the previous collections back in place, restored-only ones and staging dropped. */
export async function rollbackRestore(db: Db): Promise<RestoreJournal | null> {
  const journal = await db.collection<RestoreJournal>(RESTORE_JOURNAL).findOne({ _id: 'restore' })
  if (!journal) return null
  const names = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name))
  for (const name of journal.collections) {
    if (names.has(previousName(name))) {
      if (names.has(name)) await db.collection(name).drop()
      await db.renameCollection(previousName(name), name)
    } else if (journal.absentBefore.includes(name) && names.has(name) && !names.has(stagingName(name))) {
      await db.collection(name).drop() // swapped in, and the database had no such collection before
    }
    if (names.has(stagingName(name))) await db.collection(stagingName(name)).drop()
  }
  await dropJournal(db)
  return journal
}

async function writeMediaFiles(file: string, mediaDir: string) {
  const root = path.resolve(mediaDir)
  await readArchive(file, {
    file: async (relative, content) => {
      const target = path.resolve(root, relative)
      if (!target.startsWith(root + path.sep)) throw new ArchiveError(`media path escapes the folder: ${relative}`)
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(target, content)
    },
  })
}
