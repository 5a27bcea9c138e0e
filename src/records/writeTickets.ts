import type { MongooseAdapter } from '@payloadcms/db-mongodb'
import type { PayloadRequest } from 'payload'

import { activeTransactionID } from '../db/afterCommit'
import { isDuplicateKeyError } from '../db/duplicateKey'

/**
 * Write tickets: one write per decision made from one read. Two saves that read the same state (a template's
 * `_version` N, a document's status at one `updatedAt`) and both decide from it — both number their version N+1,
 * both pass their status check — insert the same ticket before their write; the unique `_id` admits one of them.
 *
 * - MongoDB: the insert is made in the request's transaction, so a rolled-back write gives its ticket back; a
 *   racer's insert meets WriteConflict and the whole write is retried (src/db/transientRetry.ts), reading anew.
 * - FerretDB: no transaction; the atomic insert refuses the loser before it writes anything. A ticket left behind by
 *   a write that failed after its insert is taken over once it is older than ABANDONED_MS and `isAbandoned` (the
 *   caller's look at whether the write happened) says so.
 *
 * MongoDB drops old tickets by age (a TTL index on `takenAt`: WRITE_TICKET_TTL_SECONDS, src/db/indexes.ts).
 */
export const WRITE_TICKETS = 'write-tickets'
const ABANDONED_MS = 30_000

type Ticket = { _id: string; takenAt: Date }

/** Takes ticket `key`; returns false when another write holds it (the caller refuses its write: 409). */
export async function takeWriteTicket(req: PayloadRequest, key: string, isAbandoned: () => Promise<boolean>): Promise<boolean> {
  const adapter = req.payload.db as unknown as MongooseAdapter
  const transactionID = await activeTransactionID(req)
  const session = transactionID !== undefined ? adapter.sessions[transactionID] : undefined
  const tickets = adapter.connection.db!.collection<Ticket>(WRITE_TICKETS)
  for (let attempt = 0; ; attempt++) {
    try {
      await tickets.insertOne({ _id: key, takenAt: new Date() }, { session })
      return true
    } catch (err) {
      // A WriteConflict (MongoDB, inside the transaction) goes up: the write is retried whole.
      if (!isDuplicateKeyError(err)) throw err
    }
    if (attempt > 0 || session) return false
    const taken = await tickets.findOne({ _id: key })
    if (taken && Date.now() - taken.takenAt.getTime() < ABANDONED_MS) return false
    if (taken && !(await isAbandoned())) return false
    // Racing takers may both delete it; the insert that follows still admits only one of them.
    if (taken) await tickets.deleteOne({ _id: key, takenAt: taken.takenAt })
  }
}
