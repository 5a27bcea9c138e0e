import type mongoose from 'mongoose'

import { randomUUID } from 'node:crypto'

import { isDuplicateKeyError } from './duplicateKey'
import { engineOfDb } from './engine'

/**
 * Write turns on one document, for FerretDB v1 only. There every update is a read-modify-write of the whole document
 * without isolation (shared/notes/dev-database.md), so two `$set`s of *different* paths of one scene — the engine
 * landing a video while a producer saves the title, or two results landing at once — can lose one of them. Writers
 * of such a document take turns: a turn is an insert into `document_write_turns` under the document's key, which
 * the unique `_id` admits for one writer at a time on any engine. A turn not given back (its process died, or the
 * write failed after the turn was taken) is taken over after `TURN_MS`. On MongoDB single-document updates are
 * atomic, so no turn is taken there.
 */
export const TURN_COLLECTION = 'document_write_turns'
const TURN_MS = 5_000
const WAIT_MS = 20_000

type TurnDoc = { _id: string; holder: string; expiresAt: Date }

export type Turn = { release: () => Promise<void> }

const noTurn: Turn = { release: async () => undefined }

/** Whether writes to the database need turns (FerretDB v1). */
export async function needsWriteTurns(db: mongoose.mongo.Db): Promise<boolean> {
  return (await engineOfDb(db)).kind === 'ferretdb'
}

/** Takes the write turn of `key` (e.g. `scenes:<id>`), waiting for the current holder; on MongoDB at once. */
export async function takeWriteTurn(db: mongoose.mongo.Db, key: string): Promise<Turn> {
  if (!(await needsWriteTurns(db))) return noTurn
  const turns = db.collection<TurnDoc>(TURN_COLLECTION)
  const holder = randomUUID()
  const deadline = Date.now() + WAIT_MS
  for (let round = 0; ; round++) {
    try {
      await turns.insertOne({ _id: key, holder, expiresAt: new Date(Date.now() + TURN_MS) })
      return { release: async () => void (await turns.deleteOne({ _id: key, holder })) }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    const current = await turns.findOne({ _id: key })
    // A turn left behind is given up by the one who finds it expired (deleting exactly that holder's turn).
    if (current && current.expiresAt.getTime() < Date.now()) await turns.deleteOne({ _id: key, holder: current.holder })
    if (Date.now() > deadline) throw new Error(`The write turn of ${key} was not free within ${WAIT_MS} ms.`)
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, 10 * 2 ** Math.min(round, 4)) * (0.5 + Math.random())))
  }
}

/** Runs `write` in the write turn of `key`. */
export async function inWriteTurn<T>(db: mongoose.mongo.Db, key: string, write: () => Promise<T>): Promise<T> {
  const turn = await takeWriteTurn(db, key)
  try {
    return await write()
  } finally {
    await turn.release()
  }
}
