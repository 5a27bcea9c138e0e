import type { Payload } from 'payload'

import { randomUUID } from 'node:crypto'

import { ConflictError } from '../errors'
import { isDuplicateKeyError } from '../db/duplicateKey'

/**
 * One import into an episode at a time (docs/API.md "Screenplays and shot lists"): the duplicate check and the
 * writes of an import run inside the episode's turn, so two identical appends cannot both pass the check. A turn is
 * an insert under the episode's id, which the unique `_id` admits for one import at a time — the one write that is
 * atomic on FerretDB as on MongoDB. The holder renews it as it writes; a turn whose holder died expires after
 * IMPORT_TURN_MS without renewal and is taken over by the next import.
 */
export const IMPORT_TURNS = 'screenplay-import-turns'
export const IMPORT_TURN_MS = 60_000

type TurnRow = { _id: string; holder: string; expiresAt: Date }

export type ImportTurn = { renew: () => Promise<void>; release: () => Promise<void> }

/** Takes the episode's import turn, or 409 while another import into it is running. */
export async function takeImportTurn(payload: Payload, episodeId: string): Promise<ImportTurn> {
  const turns = payload.db.connection.db!.collection<TurnRow>(IMPORT_TURNS)
  const holder = randomUUID()
  const expiry = () => new Date(Date.now() + IMPORT_TURN_MS)
  // Two rounds: the second after giving up a turn left behind by a dead holder.
  for (let round = 0; round < 2; round++) {
    try {
      await turns.insertOne({ _id: episodeId, holder, expiresAt: expiry() })
      return {
        renew: async () => void (await turns.updateOne({ _id: episodeId, holder }, { $set: { expiresAt: expiry() } })),
        release: async () => void (await turns.deleteOne({ _id: episodeId, holder })),
      }
    } catch (err) {
      if (!isDuplicateKeyError(err)) throw err
    }
    const current = await turns.findOne({ _id: episodeId })
    if (current && current.expiresAt.getTime() >= Date.now()) break
    // Deletes exactly the expired holder's turn: a newer holder that took it meanwhile keeps its own.
    if (current) await turns.deleteOne({ _id: episodeId, holder: current.holder })
  }
  throw new ConflictError({
    message: 'An import into this episode is running; try again when it has finished',
    details: { episode: episodeId },
  })
}
