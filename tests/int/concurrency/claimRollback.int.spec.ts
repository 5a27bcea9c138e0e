import type { Payload, PayloadRequest } from 'payload'

import { ObjectId } from 'mongodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { UNIQUE_CLAIMS } from '../../../src/db/globalUniques'
import { fixtures } from '../../helpers/fixtures'
import { createTestPayload } from '../../helpers/payload'

/**
 * Issue 21, finding 4: a media file-name claim is made outside the transaction (so racers see it at once). Its holder
 * used to be recorded inside the transaction; when that rolled back, the claim named a document that never existed,
 * was never taken as abandoned, and the name was refused for ever. The holder is now recorded after the commit.
 *
 * FerretDB has no transactions, so the transaction is the adapter's own bookkeeping under a chosen id (what Payload
 * does on MongoDB: the write carries `req.transactionID`, then the operation commits or rolls back), and the
 * rollback's undo of the insert is the raw delete MongoDB would have made implicit.
 */
let payload: Payload
let cleanup: () => Promise<void>
let project: string
beforeAll(async () => {
  ;({ payload, cleanup } = await createTestPayload('claim-rollback'))
  const owner = await fixtures(payload).user()
  project = String((await fixtures(payload).project(String(owner.id))).id)
}, 240_000)
afterAll(async () => cleanup?.())

const claims = () => payload.db.connection.db!.collection<{ _id: string; claimedAt: Date; holder?: string }>(UNIQUE_CLAIMS)
const inTransaction = (transactionID: string) => ({ payload, transactionID, context: {} }) as unknown as PayloadRequest
const write = (filename: string, req?: PayloadRequest) =>
  payload.db.create({ collection: 'media', data: { filename, project, mediaType: 'audio_clip', status: 'active' }, ...(req ? { req } : {}) })

describe('a media file-name claim', () => {
  it('whose transaction rolled back expires, and the name can be used again', async () => {
    const doomed = await write('rolled-back.wav', inTransaction('tx-rolled-back'))
    // The transaction rolls back: its insert is undone, and nothing of it may remain in force.
    await payload.db.collections.media.collection.deleteOne({ _id: new ObjectId(String(doomed.id)) })
    await payload.db.rollbackTransaction('tx-rolled-back')
    // Later (past the time a write in flight may hold a claim without its holder):
    await claims().updateOne({ _id: 'media.filename:rolled-back.wav' }, { $set: { claimedAt: new Date(Date.now() - 60_000) } })
    await expect(write('rolled-back.wav')).resolves.toMatchObject({ filename: 'rolled-back.wav' })
  })

  it('names its holder once the transaction has committed, not before', async () => {
    const kept = await write('committed.wav', inTransaction('tx-committed'))
    expect((await claims().findOne({ _id: 'media.filename:committed.wav' }))?.holder).toBeUndefined()
    await payload.db.commitTransaction('tx-committed')
    expect((await claims().findOne({ _id: 'media.filename:committed.wav' }))?.holder).toBe(String(kept.id))
  })
})
